package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foundation story against a real server: create, bind, a Yealink phone boots and gets its config. */
class YealinkBootStoryTest {

    static final String MAC = "0015654aa937";
    static final String UA = "Yealink SIP-T46S 66.86.0.15 00:15:65:4a:a9:37";

    @TempDir
    Path dir;
    TestDialtone server;
    LogCapture logs;
    AdminClient admin;
    HttpsClient phone;
    String accountId;
    String userId;
    String sipUser;
    String sipPassword;
    String provPassword;

    @BeforeEach
    void start() throws Exception {
        logs = new LogCapture();
        server = new TestDialtone(dir);
        admin = server.admin();
        phone = server.phone();
        accountId = admin.createAccount("Acme");
        String locationId = admin.createLocation(accountId, "America/New_York");
        admin.createUser(accountId, locationId, "bob", "102");
        AdminClient.Reply user = admin.createUser(accountId, locationId, "ada", "101");
        userId = user.get("id");
        sipUser = user.json().path("sip").path("username").asText();
        sipPassword = user.json().path("sip").path("password").asText();
        AdminClient.Reply device = admin.createDevice(accountId, "00:15:65:4A:A9:37", "yealink-t46s");
        provPassword = device.json().path("provisioning").path("password").asText();
        assertThat(device.json().path("provisioning").path("username").asText()).isEqualTo(MAC);
        assertThat(provPassword).hasSizeGreaterThanOrEqualTo(24);
    }

    @AfterEach
    void stop() {
        server.close();
        logs.close();
    }

    @Test
    void boundPhoneGetsItsUsersConfigWithDigest() throws Exception {
        admin.bind(accountId, MAC, userId);
        PATCH_forward("102");

        HttpResponse<String> response = phone.getDigest("/" + MAC + ".cfg", MAC, provPassword, Map.of("User-Agent", UA));

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

        AdminClient.Reply device = admin.get("/accounts/" + accountId + "/devices/" + MAC);
        assertThat(device.json().path("lastSeen").path("firmware").asText()).isEqualTo("66.86.0.15");
        assertThat(device.json().path("lastSeen").path("file").asText()).isEqualTo("/" + MAC + ".cfg");
        assertThat(device.json().has("provisioning")).isFalse();
    }

    private void PATCH_forward(String target) throws Exception {
        assertThat(admin.patch("/accounts/" + accountId + "/users/" + userId,
                "{\"unreachableForward\":\"" + target + "\"}").status()).isEqualTo(200);
    }

    @Test
    void boundPhoneGetsItsConfigWithBasic() throws Exception {
        admin.bind(accountId, MAC, userId);

        HttpResponse<String> response = phone.getBasic("/" + MAC + ".cfg", MAC, provPassword);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(YealinkConfig.parse(response.body())).containsEntry("account.1.password", sipPassword);
    }

    @Test
    void etagAnswersNotModified() throws Exception {
        admin.bind(accountId, MAC, userId);
        HttpResponse<String> first = phone.getBasic("/" + MAC + ".cfg", MAC, provPassword);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        String basic = java.util.Base64.getEncoder().encodeToString((MAC + ":" + provPassword).getBytes());
        HttpResponse<String> again = phone.get("/" + MAC + ".cfg",
                Map.of("Authorization", "Basic " + basic, "If-None-Match", etag));

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void changingTheUserChangesTheConfigAndItsEtag() throws Exception {
        admin.bind(accountId, MAC, userId);
        HttpResponse<String> before = phone.getBasic("/" + MAC + ".cfg", MAC, provPassword);

        admin.patch("/accounts/" + accountId + "/users/" + userId, "{\"firstName\":\"Grace\"}");
        HttpResponse<String> after = phone.getBasic("/" + MAC + ".cfg", MAC, provPassword);

        assertThat(YealinkConfig.parse(after.body())).containsEntry("account.1.display_name", "Grace Lovelace");
        assertThat(after.headers().firstValue("ETag")).isNotEqualTo(before.headers().firstValue("ETag"));
    }

    @Test
    void unboundDeviceGetsADisabledAccountWithoutCredentials() throws Exception {
        HttpResponse<String> response = phone.getDigest("/" + MAC + ".cfg", MAC, provPassword);

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> cfg = YealinkConfig.parse(response.body());
        assertThat(cfg).containsEntry("account.1.enable", "0").doesNotContainKey("account.1.password")
                .doesNotContainKey("account.1.auth_name");
        assertThat(response.body()).doesNotContain(sipPassword);
    }

    @Test
    void commonFileIsServedToAnyoneWithoutSecrets() throws Exception {
        admin.bind(accountId, MAC, userId);

        HttpResponse<String> response = phone.get("/y000000000066.cfg", Map.of("User-Agent", UA));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("#!version:1.0.0.1\n").doesNotContain(sipPassword)
                .doesNotContain(provPassword).doesNotContain("password");
        assertThat(phone.get("/y000000000099.cfg").statusCode()).isEqualTo(404);
    }

    @Test
    void noCredentialsWrongPasswordAndUnknownMacGetIdenticalAnswers() throws Exception {
        admin.bind(accountId, MAC, userId);
        String unknownMac = "0015654aa938";

        HttpResponse<String> none = phone.get("/" + MAC + ".cfg");
        HttpResponse<String> noneUnknown = phone.get("/" + unknownMac + ".cfg");
        HttpResponse<String> wrong = phone.getDigest("/" + MAC + ".cfg", MAC, provPassword + "x");
        HttpResponse<String> unknown = phone.getDigest("/" + unknownMac + ".cfg", unknownMac, provPassword);
        HttpResponse<String> wrongBasic = phone.getBasic("/" + MAC + ".cfg", MAC, "guess");
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
                .contains("status=401 mac=" + MAC + " reason=bad-credentials")
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

        HttpResponse<String> response = phone.getDigest("/" + MAC + ".cfg", "001565000001", otherPassword);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void restartKeepsEverythingAndTheSameTokenWorks() throws Exception {
        admin.bind(accountId, MAC, userId);
        String token = server.operatorToken();

        server.restart();
        AdminClient again = server.admin();

        assertThat(server.operatorToken()).isEqualTo(token);
        assertThat(again.get("/accounts/" + accountId + "/users/" + userId).get("username")).isEqualTo("ada");
        HttpResponse<String> response = server.phone().getDigest("/" + MAC + ".cfg", MAC, provPassword);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(YealinkConfig.parse(response.body())).containsEntry("account.1.password", sipPassword);
    }

    @Test
    void secretsNeverAppearInLogsOrLaterResponses() throws Exception {
        admin.bind(accountId, MAC, userId);
        phone.getDigest("/" + MAC + ".cfg", MAC, provPassword);

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
        admin.bind(accountId, MAC, userId);
        String hostile = "</x> ${line.password} #set($a = 1) {{7*7}}";
        assertThat(admin.patch("/accounts/" + accountId + "/users/" + userId,
                "{\"lastName\":\"" + hostile.replace("\"", "\\\"") + "\"}").status()).isEqualTo(200);
        // The API refuses control characters; a row written some other way must still render safely.
        try (var db = java.sql.DriverManager.getConnection(server.config().database().url(), "dialtone", "");
             var update = db.prepareStatement("update app_user set first_name = ? where id = ?")) {
            update.setString(1, "Eve\naccount.1.password = stolen\r\naccount.2.enable = 1");
            update.setString(2, userId);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        HttpResponse<String> response = phone.getDigest("/" + MAC + ".cfg", MAC, provPassword);

        Map<String, String> cfg = YealinkConfig.parse(response.body());
        assertThat(cfg).containsEntry("account.1.password", sipPassword).doesNotContainKey("account.2.enable")
                .containsEntry("account.1.display_name",
                        "Eve account.1.password = stolen  account.2.enable = 1 " + hostile);
        assertThat(response.body().lines().filter(l -> l.startsWith("account.1.password"))).hasSize(1);
    }
}
