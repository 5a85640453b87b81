package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The foundation story against a real server: create, bind, a Yealink phone boots and gets its config. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YealinkBootStoryTest {

    /** Each test has an account and a phone of its own on the class's server. */
    private static final AtomicInteger PHONES = new AtomicInteger();

    TestDialtone server;
    String mac;
    String ua;
    String username;
    LogCapture logs;
    AdminClient admin;
    HttpsClient phone;
    String accountId;
    String userId;
    String sipUser;
    String sipPassword;
    String provPassword;

    @BeforeAll
    void startServer(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @BeforeEach
    void start() throws Exception {
        logs = new LogCapture();
        int n = PHONES.incrementAndGet();
        mac = String.format("0015654b%04x", n);
        ua = "Yealink SIP-T46S 66.86.0.15 00:15:65:4b:" + mac.substring(8, 10) + ":" + mac.substring(10);
        admin = server.admin();
        phone = server.phone();
        accountId = admin.createAccount("Acme");
        String locationId = admin.createLocation(accountId, "America/New_York");
        admin.createUser(accountId, locationId, "bob" + n, "102");
        username = "ada" + n;
        AdminClient.Reply user = admin.createUser(accountId, locationId, username, "101");
        userId = user.get("id");
        sipUser = user.json().path("sip").path("username").asText();
        sipPassword = user.json().path("sip").path("password").asText();
        AdminClient.Reply device = admin.createDevice(accountId,
                String.join(":", mac.substring(0, 2), mac.substring(2, 4), mac.substring(4, 6), mac.substring(6, 8),
                        mac.substring(8, 10), mac.substring(10)).toUpperCase(java.util.Locale.ROOT), "yealink-t46s");
        provPassword = device.json().path("provisioning").path("password").asText();
        assertThat(device.json().path("provisioning").path("username").asText()).isEqualTo(mac);
        assertThat(provPassword).hasSizeGreaterThanOrEqualTo(24);
    }

    @AfterEach
    void stop() {
        logs.close();
    }

    @Test
    void boundPhoneGetsItsUsersConfigWithDigest() throws Exception {
        admin.bind(accountId, mac, userId);
        PATCH_forward("102");

        HttpResponse<String> response = phone.getDigest("/" + mac + ".cfg", mac, provPassword, Map.of("User-Agent", ua));

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> cfg = YealinkConfig.parse(response.body());
        assertThat(response.body()).startsWith("#!version:1.0.0.1\n");
        assertThat(cfg).containsEntry("account.1.enable", "1")
                .containsEntry("account.1.display_name", "Ada Lovelace")
                .containsEntry("account.1.label", "101")
                .containsEntry("account.1.user_name", sipUser)
                .containsEntry("account.1.auth_name", sipUser)
                .containsEntry("account.1.password", sipPassword)
                .containsEntry("account.1.sip_server.1.address", "sip.test.example")
                .containsEntry("account.1.sip_server.1.port", "5060")
                .containsEntry("voice_mail.number.1", "*97")
                .containsEntry("local_time.time_zone", "-5")
                .containsEntry("local_time.time_zone_name", "United States-Eastern Time")
                .containsEntry("account.1.timeout_fwd.enable", "1")
                .containsEntry("account.1.timeout_fwd.target", "102")
                .containsEntry("account.1.timeout_fwd.timeout", "4");
        assertThat(response.headers().firstValue("ETag")).isPresent();

        AdminClient.Reply device = admin.get("/accounts/" + accountId + "/devices/" + mac);
        assertThat(device.json().path("lastSeen").path("firmware").asText()).isEqualTo("66.86.0.15");
        assertThat(device.json().path("lastSeen").path("file").asText()).isEqualTo("/" + mac + ".cfg");
        assertThat(device.json().has("provisioning")).isFalse();
    }

    private void PATCH_forward(String target) throws Exception {
        assertThat(admin.patch("/accounts/" + accountId + "/users/" + userId,
                "{\"unreachableForward\":\"" + target + "\"}").status()).isEqualTo(200);
    }

    @Test
    void boundPhoneGetsItsConfigWithBasic() throws Exception {
        admin.bind(accountId, mac, userId);

        HttpResponse<String> response = phone.getBasic("/" + mac + ".cfg", mac, provPassword);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(YealinkConfig.parse(response.body())).containsEntry("account.1.password", sipPassword);
    }

    @Test
    void etagAnswersNotModified() throws Exception {
        admin.bind(accountId, mac, userId);
        HttpResponse<String> first = phone.getBasic("/" + mac + ".cfg", mac, provPassword);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        String basic = java.util.Base64.getEncoder().encodeToString((mac + ":" + provPassword).getBytes());
        HttpResponse<String> again = phone.get("/" + mac + ".cfg",
                Map.of("Authorization", "Basic " + basic, "If-None-Match", etag));

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void changingTheUserChangesTheConfigAndItsEtag() throws Exception {
        admin.bind(accountId, mac, userId);
        HttpResponse<String> before = phone.getBasic("/" + mac + ".cfg", mac, provPassword);

        admin.patch("/accounts/" + accountId + "/users/" + userId, "{\"firstName\":\"Grace\"}");
        HttpResponse<String> after = phone.getBasic("/" + mac + ".cfg", mac, provPassword);

        assertThat(YealinkConfig.parse(after.body())).containsEntry("account.1.display_name", "Grace Lovelace");
        assertThat(after.headers().firstValue("ETag")).isNotEqualTo(before.headers().firstValue("ETag"));
    }

    @Test
    void unboundDeviceGetsADisabledAccountWithoutCredentials() throws Exception {
        HttpResponse<String> response = phone.getDigest("/" + mac + ".cfg", mac, provPassword);

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> cfg = YealinkConfig.parse(response.body());
        assertThat(cfg).containsEntry("account.1.enable", "0").doesNotContainKey("account.1.password")
                .doesNotContainKey("account.1.auth_name");
        assertThat(response.body()).doesNotContain(sipPassword);
    }

    @Test
    void commonFileIsServedToAnyoneWithoutSecrets() throws Exception {
        admin.bind(accountId, mac, userId);

        HttpResponse<String> response = phone.get("/y000000000066.cfg", Map.of("User-Agent", ua));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("#!version:1.0.0.1\n").doesNotContain(sipPassword)
                .doesNotContain(provPassword).doesNotContain("password");
        assertThat(phone.get("/y000000000099.cfg").statusCode()).isEqualTo(404);
    }

    @Test
    void noCredentialsWrongPasswordAndUnknownMacGetIdenticalAnswers() throws Exception {
        admin.bind(accountId, mac, userId);
        String unknownMac = "0015654aa938";

        HttpResponse<String> none = phone.get("/" + mac + ".cfg");
        HttpResponse<String> noneUnknown = phone.get("/" + unknownMac + ".cfg");
        HttpResponse<String> wrong = phone.getDigest("/" + mac + ".cfg", mac, provPassword + "x");
        HttpResponse<String> unknown = phone.getDigest("/" + unknownMac + ".cfg", unknownMac, provPassword);
        HttpResponse<String> wrongBasic = phone.getBasic("/" + mac + ".cfg", mac, "guess");
        HttpResponse<String> unknownBasic = phone.getBasic("/" + unknownMac + ".cfg", unknownMac, "guess");

        for (HttpResponse<String> r : java.util.List.of(none, noneUnknown, wrong, unknown, wrongBasic, unknownBasic)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo(none.body());
            assertThat(shape(r)).isEqualTo(shape(none));
            assertThat(r.headers().allValues("WWW-Authenticate")).hasSize(2)
                    .anyMatch(h -> h.startsWith("Digest ") && h.contains("qop=\"auth\""))
                    .anyMatch(h -> h.startsWith("Basic "));
        }
        assertThat(logs.all()).doesNotContain(provPassword).doesNotContain(sipPassword)
                .contains("status=401 mac=" + mac + " reason=bad-credentials")
                .contains("status=401 mac=" + unknownMac + " reason=unknown-mac");
    }

    /** Everything a client sees except the per-response Digest nonce and opaque values. */
    static String shape(HttpResponse<String> r) {
        java.util.TreeMap<String, java.util.List<String>> headers = new java.util.TreeMap<>(r.headers().map());
        headers.remove("www-authenticate");
        return r.statusCode() + " " + headers + " " + r.body();
    }

    @Test
    void anotherDevicesCredentialsDoNotOpenThisDevicesFile() throws Exception {
        AdminClient.Reply other = admin.createDevice(accountId, "001565000001", "yealink-t46s");
        String otherPassword = other.json().path("provisioning").path("password").asText();

        HttpResponse<String> response = phone.getDigest("/" + mac + ".cfg", "001565000001", otherPassword);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void restartKeepsEverythingAndTheSameTokenWorks() throws Exception {
        admin.bind(accountId, mac, userId);
        String token = server.operatorToken();

        server.restart();
        AdminClient again = server.admin();

        assertThat(server.operatorToken()).isEqualTo(token);
        assertThat(again.get("/accounts/" + accountId + "/users/" + userId).get("username")).isEqualTo(username);
        HttpResponse<String> response = server.phone().getDigest("/" + mac + ".cfg", mac, provPassword);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(YealinkConfig.parse(response.body())).containsEntry("account.1.password", sipPassword);
    }

    @Test
    void secretsNeverAppearInLogsOrLaterResponses() throws Exception {
        admin.bind(accountId, mac, userId);
        phone.getDigest("/" + mac + ".cfg", mac, provPassword);

        String laterUser = admin.get("/accounts/" + accountId + "/users/" + userId).text();
        String laterUsers = admin.get("/accounts/" + accountId + "/users").text();
        String laterDevices = admin.get("/accounts/" + accountId + "/devices").text();

        for (String text : java.util.List.of(laterUser, laterUsers, laterDevices, logs.all())) {
            assertThat(text).doesNotContain(sipPassword).doesNotContain(provPassword)
                    .doesNotContain(server.operatorToken());
        }
        assertThat(logs.all()).doesNotContain("account.1.password");
    }

    @Test
    void hostileUserFieldsCannotChangeTheConfigsStructure() throws Exception {
        admin.bind(accountId, mac, userId);
        String hostile = "</x> ${line.password} #set($a = 1) {{7*7}}";
        assertThat(admin.patch("/accounts/" + accountId + "/users/" + userId,
                "{\"lastName\":\"" + hostile.replace("\"", "\\\"") + "\"}").status()).isEqualTo(200);
        // The API refuses control characters; a row written some other way must still render safely.
        try (var db = java.sql.DriverManager.getConnection(dialtone.store.Database.jdbcUrl(server.config().database().url()), "dialtone", "");
             var update = db.prepareStatement("update app_user set first_name = ? where id = ?")) {
            update.setString(1, "Eve\naccount.1.password = stolen\r\naccount.2.enable = 1");
            update.setString(2, userId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        HttpResponse<String> response = phone.getDigest("/" + mac + ".cfg", mac, provPassword);

        Map<String, String> cfg = YealinkConfig.parse(response.body());
        assertThat(cfg).containsEntry("account.1.password", sipPassword).doesNotContainKey("account.2.enable")
                .containsEntry("account.1.display_name",
                        "Eve account.1.password = stolen  account.2.enable = 1 " + hostile);
        assertThat(response.body().lines().filter(l -> l.startsWith("account.1.password"))).hasSize(1);
    }
}
