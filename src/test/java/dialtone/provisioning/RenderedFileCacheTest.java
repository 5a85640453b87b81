package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import dialtone.testing.Trees;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Phones' files are kept in memory between requests; every kind of change made through the API is served on
 * the very next request, and what is kept is never served to anyone who has not proven to be that device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RenderedFileCacheTest {

    Path dir;
    Path templates;
    TestDialtone server;
    AdminClient admin;
    HttpsClient phone;
    String account;
    String chicago;
    int next = 1;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("dialtone-cache");
        templates = dir.resolve("templates");
        Trees.copy(Path.of("templates"), templates);
        server = new TestDialtone(dir, Map.of("DIALTONE_TEMPLATES_DIR", templates.toString(),
                "DIALTONE_TEMPLATES_RELOAD_INTERVAL_MS", "100"));
        admin = server.admin();
        phone = server.phone();
        account = admin.createAccount("Acme");
        chicago = admin.createLocation(account, "America/Chicago");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A bound Yealink whose file has been fetched twice (so it is kept): MAC, password, user id. */
    private record Booted(String mac, String password, String userId) {}

    private Booted booted() throws Exception {
        int n = next++;
        String mac = "805ec0aa%04x".formatted(n);
        String user = admin.createUser(account, chicago, "cache" + n, String.valueOf(300 + n)).get("id");
        String password = admin.createDevice(account, mac, "yealink-t46s").json().path("provisioning").path("password").asText();
        admin.bind(account, mac, user);
        HttpResponse<String> first = fetch(mac, password);
        HttpResponse<String> second = fetch(mac, password);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
        return new Booted(mac, password, user);
    }

    private HttpResponse<String> fetch(String mac, String password) throws Exception {
        return phone.getBasic("/" + mac + ".cfg", mac, password);
    }

    private String file(Booted phone) throws Exception {
        HttpResponse<String> r = fetch(phone.mac(), phone.password());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aUserChangeIsServedOnTheNextRequest() throws Exception {
        Booted p = booted();
        admin.patch("/accounts/" + account + "/users/" + p.userId(), "{\"lastName\":\"Byron\"}");
        assertThat(file(p)).contains("account.1.display_name = Ada Byron");
    }

    @Test
    void aSipPasswordRotationIsServedOnTheNextRequestAndTheOldOneNeverAgain() throws Exception {
        Booted p = booted();
        String old = YealinkConfig.parse(file(p)).get("account.1.password");
        String rotated = admin.post("/accounts/" + account + "/users/" + p.userId() + "/sip-password", null).get("password");
        String body = file(p);
        assertThat(YealinkConfig.parse(body).get("account.1.password")).isEqualTo(rotated);
        assertThat(body).doesNotContain(old);
    }

    @Test
    void aUserMovedToAnotherLocationGetsItsTimeZoneOnTheNextRequest() throws Exception {
        Booted p = booted();
        assertThat(file(p)).contains("local_time.time_zone_name = United States-Central Time");
        String berlin = admin.createLocation(account, "Europe/Berlin");
        admin.patch("/accounts/" + account + "/users/" + p.userId(), "{\"locationId\":\"" + berlin + "\"}");
        assertThat(file(p)).contains("local_time.time_zone_name = Germany(Berlin)");
    }

    @Test
    void deviceVariablesAreServedOnTheNextRequest() throws Exception {
        Booted p = booted();
        admin.put("/accounts/" + account + "/devices/" + p.mac() + "/vars", "{\"vars\":{\"admin_password\":\"device-own\"}}");
        assertThat(file(p)).contains("static.security.user_password = admin:device-own");
    }

    @Test
    void aRebindingIsServedOnTheNextRequest() throws Exception {
        Booted p = booted();
        String other = admin.createUser(account, chicago, "rebound" + next, String.valueOf(700 + next)).get("id");
        admin.patch("/accounts/" + account + "/users/" + other, "{\"firstName\":\"Grace\",\"lastName\":\"Hopper\"}");
        admin.delete("/accounts/" + account + "/devices/" + p.mac() + "/user");
        assertThat(file(p)).contains("account.1.enable = 0").doesNotContain("Ada");
        admin.bind(account, p.mac(), other);
        assertThat(file(p)).contains("account.1.display_name = Grace Hopper");
    }

    @Test
    void aDeletedUserIsGoneFromTheNextRequest() throws Exception {
        Booted p = booted();
        assertThat(admin.delete("/accounts/" + account + "/users/" + p.userId()).status()).isBetween(200, 204);
        assertThat(file(p)).contains("account.1.enable = 0").doesNotContain("account.1.password");
    }

    @Test
    void aMacRefusedAsUnknownIsServedOnTheNextRequestOnceItsDeviceIsCreated() throws Exception {
        String mac = "805ec0aa%04x".formatted(next++);
        assertThat(fetch(mac, "a-guess").statusCode()).isEqualTo(401);
        assertThat(fetch(mac, "a-guess").statusCode()).as("now remembered as unknown").isEqualTo(401);
        String password = admin.createDevice(account, mac, "yealink-t46s").json().path("provisioning")
                .path("password").asText();

        assertThat(fetch(mac, password).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeletedDeviceIsRefusedOnTheNextRequest() throws Exception {
        Booted p = booted();
        assertThat(admin.delete("/accounts/" + account + "/devices/" + p.mac()).status()).isBetween(200, 204);
        assertThat(fetch(p.mac(), p.password()).statusCode()).isEqualTo(401);
    }

    @Test
    void accountVariablesAreServedOnTheNextRequest() throws Exception {
        String other = admin.createAccount("Vars");
        String location = admin.createLocation(other, "UTC");
        String user = admin.createUser(other, location, "varsuser", "401").get("id");
        String mac = "805ec0bb0001";
        String password = admin.createDevice(other, mac, "yealink-t46s").json().path("provisioning").path("password").asText();
        admin.bind(other, mac, user);
        fetch(mac, password);
        fetch(mac, password);
        admin.put("/accounts/" + other + "/vars", "{\"vars\":{\"admin_password\":\"account-wide\"}}");
        assertThat(fetch(mac, password).body()).contains("static.security.user_password = admin:account-wide");
    }

    @Test
    void anAccountPolicyIsAppliedOnTheNextRequest() throws Exception {
        String other = admin.createAccount("Policy");
        String mac = "805ec0cc0001";
        String password = admin.createDevice(other, mac, "yealink-t46s").json().path("provisioning").path("password").asText();
        assertThat(fetch(mac, password).statusCode()).isEqualTo(200);
        assertThat(fetch(mac, password).statusCode()).isEqualTo(200);
        admin.put("/accounts/" + other + "/security-policy", "{\"proofs\":[\"digest\"]}");
        assertThat(fetch(mac, password).statusCode()).isEqualTo(401);
        assertThat(phone.getDigest("/" + mac + ".cfg", mac, password).statusCode()).isEqualTo(200);
    }

    @Test
    void aProvisioningPasswordRotationWorksAndThePromotedOneRetiresTheOld() throws Exception {
        Booted p = booted();
        String rotated = admin.post("/accounts/" + account + "/devices/" + p.mac() + "/provisioning-password", null)
                .get("password");
        assertThat(fetch(p.mac(), p.password()).statusCode()).as("old, before the next one is used").isEqualTo(200);
        assertThat(fetch(p.mac(), rotated).statusCode()).isEqualTo(200);
        assertThat(fetch(p.mac(), p.password()).statusCode()).as("old, once the next one was used").isEqualTo(401);
        assertThat(fetch(p.mac(), rotated).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeptFileIsNeverServedToAnotherDeviceOrWithoutProof() throws Exception {
        Booted a = booted();
        Booted b = booted();
        HttpResponse<String> unknown = fetch("805ec0ffffff", a.password());
        HttpResponse<String> crossed = fetch(b.mac(), a.password());
        HttpResponse<String> wrong = fetch(a.mac(), a.password() + "x");
        HttpResponse<String> none = phone.get("/" + a.mac() + ".cfg");
        for (HttpResponse<String> r : java.util.List.of(crossed, wrong, none)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo(unknown.body());
            assertThat(r.headers().map().keySet()).isEqualTo(unknown.headers().map().keySet());
        }
    }

    @Test
    void aTemplateEditIsServedOnceReloaded() throws Exception {
        Booted p = booted();
        Path template = templates.resolve("yealink-t4x/mac.cfg.vm");
        Files.writeString(template, Files.readString(template) + "# edited template\n");
        Trees.await("the edited template served", () -> {
            try {
                return file(p).contains("# edited template");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
