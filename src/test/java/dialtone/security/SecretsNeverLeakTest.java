package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SECURITY.md lines 17 and 28: a whole working session (accounts, users with PINs, devices, tokens,
 * rotations, phone boots good and bad, audit and lists, errors) and then every log line and every
 * response of it is searched for every secret it created. A secret may appear only in the one response
 * that generated it, and a SIP password also in its device's proven config; logs hold no config body.
 */
class SecretsNeverLeakTest {

    @TempDir
    Path dir;

    /** One recorded response: what produced it and everything the client saw. */
    record Seen(String label, String text) {}

    final List<Seen> responses = new ArrayList<>();
    /** Secret -> the label of the only response allowed to show it. */
    final Map<String, String> secrets = new LinkedHashMap<>();

    AdminClient.Reply record(String label, AdminClient.Reply reply) {
        responses.add(new Seen(label, reply.status() + "\n" + reply.raw().headers().map() + "\n" + reply.text()));
        return reply;
    }

    HttpResponse<String> record(String label, HttpResponse<String> r) {
        responses.add(new Seen(label, r.statusCode() + "\n" + r.headers().map() + "\n" + r.body()));
        return r;
    }

    @Test
    void noResponseLogLineOrAuditRecordEverHoldsASecretItDidNotGenerate() throws Exception {
        try (LogCapture logs = new LogCapture(); TestDialtone server = new TestDialtone(dir)) {
            AdminClient operator = server.admin();
            HttpsClient phone = server.phone();
            secrets.put(server.operatorToken(), "(none: only the 0600 file)");

            String account = record("account", operator.post("/accounts", "{\"name\":\"Acme\"}")).get("id");
            String location = operator.createLocation(account, "America/Chicago");
            AdminClient.Reply user = record("user", operator.post("/accounts/" + account + "/users", """
                    {"firstName":"Ada","lastName":"L","username":"ada","email":"ada@example.com","extension":"101",
                     "locationId":"%s","authorizedUser":true,"pin":"48213"}""".formatted(location)));
            assertThat(user.status()).isEqualTo(201);
            secrets.put("48213", "(none: a PIN is never shown)");
            String sip1 = user.json().path("sip").path("password").asText();
            secrets.put(sip1, "user");
            String mac = "0015654b0001";
            AdminClient.Reply device = record("device", operator.createDevice(account, mac, "yealink-t46s"));
            String prov1 = device.json().path("provisioning").path("password").asText();
            secrets.put(prov1, "device");
            record("bind", operator.bind(account, mac, user.get("id")));

            AdminClient.Reply adminToken = record("admin-token", operator.post("/tokens",
                    "{\"role\":\"admin\",\"accountId\":\"" + account + "\",\"name\":\"ops\"}"));
            secrets.put(adminToken.get("token"), "admin-token");
            AdminClient admin = operator.withToken(adminToken.get("token"));
            AdminClient.Reply techToken = record("tech-token", admin.post("/tokens", "{\"role\":\"technician\",\"name\":\"van\"}"));
            secrets.put(techToken.get("token"), "tech-token");
            AdminClient tech = operator.withToken(techToken.get("token"));

            record("phone-first", phone.get("/" + mac + ".cfg"));
            record("phone-config-1", phone.getDigest("/" + mac + ".cfg", mac, prov1));
            record("phone-wrong", phone.getBasic("/" + mac + ".cfg", mac, prov1 + "x"));
            record("phone-wrong-path", phone.getBasic("/0015654b0002.cfg", mac, prov1));

            AdminClient.Reply sipRotation = record("sip-rotation", admin.post("/accounts/" + account + "/users/"
                    + user.get("id") + "/sip-password", null));
            String sip2 = sipRotation.get("password");
            secrets.put(sip2, "sip-rotation");
            AdminClient.Reply provRotation = record("prov-rotation", admin.post("/accounts/" + account + "/devices/" + mac
                    + "/provisioning-password", null));
            String prov2 = provRotation.get("password");
            secrets.put(prov2, "prov-rotation");
            record("phone-config-2", phone.getDigest("/" + mac + ".cfg", mac, prov2));
            record("phone-old-password", phone.getDigest("/" + mac + ".cfg", mac, prov1));

            record("bad-pin", admin.patch("/accounts/" + account + "/users/" + user.get("id"),
                    "{\"pin\":\"1111\",\"authorizedUser\":true}"));
            record("pin-change", admin.patch("/accounts/" + account + "/users/" + user.get("id"),
                    "{\"pin\":\"75319\",\"authorizedUser\":true}"));
            secrets.put("75319", "(none: a PIN is never shown)");
            record("forbidden-field", admin.post("/accounts/" + account + "/users",
                    "{\"sipPassword\":\"" + sip2 + "\"}"));
            record("user-get", tech.get("/accounts/" + account + "/users/" + user.get("id")));
            record("users", tech.get("/accounts/" + account + "/users"));
            record("devices", tech.get("/accounts/" + account + "/devices"));
            record("device-get", tech.get("/accounts/" + account + "/devices/" + mac));
            record("tokens", admin.get("/tokens"));
            record("tokens-op", operator.get("/tokens"));
            record("audit", admin.get("/audit"));
            record("audit-op", operator.get("/audit"));
            record("policy", admin.get("/accounts/" + account + "/security-policy"));
            record("revoke", admin.delete("/tokens/" + techToken.get("id")));
            record("revoked-use", tech.get("/accounts/" + account + "/users"));

            assertThat(responses).filteredOn(s -> s.label().startsWith("phone-config")).allMatch(s -> s.text().startsWith("200"));
            for (var secret : secrets.entrySet()) {
                String value = secret.getKey();
                assertThat(value).hasSizeGreaterThanOrEqualTo(5);
                for (Seen seen : responses) {
                    boolean allowed = seen.label().equals(secret.getValue())
                            || (value.equals(sip1) && seen.label().equals("phone-config-1"))
                            || (value.equals(sip2) && seen.label().equals("phone-config-2"));
                    if (!allowed) {
                        assertThat(seen.text()).as("response '" + seen.label() + "' must not show " + secret.getValue()
                                + "'s secret").doesNotContain(value);
                    }
                }
                responses.stream().filter(seen -> seen.label().equals(secret.getValue())).forEach(seen ->
                        assertThat(seen.text()).as("the scan sees the secret where it was generated").contains(value));
                assertThat(logs.all()).as("logs must not show " + secret.getValue() + "'s secret").doesNotContain(value);
            }
            assertThat(logs.all()).doesNotContain("account.1.").doesNotContain("#!version");
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("phone-request") && !l.contains("status=200"))
                    .isNotEmpty()
                    .allMatch(l -> EnumerationDefenceTest.FAIL2BAN.matcher(l).matches());
        }
    }
}
