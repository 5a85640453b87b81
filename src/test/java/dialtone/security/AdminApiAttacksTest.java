package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** SECURITY.md "Admin API", lines 15, 16, 18, 19, 21, 22, and the tokens API, against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiAttacksTest {

    @TempDir
    static Path dir;
    TestDialtone server;
    LogCapture logs;
    AdminClient operator;
    HttpsClient phone;
    String accountA;
    String accountB;
    String userA;
    String userB;
    String locationA;
    AdminClient adminA;
    AdminClient adminB;
    AdminClient technicianA;
    String adminBTokenId;

    @BeforeAll
    void start() throws Exception {
        logs = new LogCapture();
        server = new TestDialtone(dir);
        operator = server.admin();
        phone = server.phone();
        accountA = operator.createAccount("Alpha");
        accountB = operator.createAccount("Beta");
        locationA = operator.createLocation(accountA, "UTC");
        String locationB = operator.createLocation(accountB, "UTC");
        userA = operator.createUser(accountA, locationA, "alice", "101").get("id");
        userB = operator.createUser(accountB, locationB, "bert", "101").get("id");
        operator.createDevice(accountA, "0015654af001", "yealink-t46s");
        operator.createDevice(accountB, "0015654af002", "yealink-t46s");
        adminA = operator.withToken(token("admin", accountA, "alpha admin").get("token"));
        AdminClient.Reply b = token("admin", accountB, "beta admin");
        adminB = operator.withToken(b.get("token"));
        adminBTokenId = b.get("id");
        technicianA = operator.withToken(token("technician", accountA, "alpha tech").get("token"));
    }

    @AfterAll
    void stop() {
        server.close();
        logs.close();
    }

    AdminClient.Reply token(String role, String accountId, String name) throws Exception {
        AdminClient.Reply reply = operator.post("/tokens", "{\"role\":\"" + role + "\",\"accountId\":"
                + (accountId == null ? "null" : "\"" + accountId + "\"") + ",\"name\":\"" + name + "\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply;
    }

    static String problemShape(AdminClient.Reply r) {
        return r.status() + " " + r.json().path("type").asText() + " " + r.json().path("title").asText();
    }

    @Test
    void accountAsTokenOnAccountBsObjectsIsA404IdenticalToAMissingObject() throws Exception {
        String b = "/accounts/" + accountB;
        List<AdminClient.Reply> foreign = List.of(adminA.get(b), adminA.get(b + "/users"), adminA.get(b + "/users/" + userB),
                adminA.patch(b + "/users/" + userB, "{\"firstName\":\"Mallory\"}"), adminA.delete(b + "/users/" + userB),
                adminA.get(b + "/devices/0015654af002"), adminA.delete(b + "/devices/0015654af002"),
                adminA.put(b + "/devices/0015654af002/user", "{\"userId\":\"" + userB + "\"}"),
                adminA.post(b + "/users/" + userB + "/sip-password", null),
                adminA.post(b + "/devices/0015654af002/provisioning-password", null),
                adminA.get(b + "/security-policy"), adminA.get("/audit?accountId=" + accountB),
                adminA.delete("/tokens/" + adminBTokenId),
                adminA.post("/tokens", "{\"role\":\"admin\",\"accountId\":\"" + accountB + "\",\"name\":\"x\"}"));
        AdminClient.Reply missing = adminA.get("/accounts/no-such-account");
        for (AdminClient.Reply r : foreign) {
            assertThat(problemShape(r)).as(r.raw().request().method() + " " + r.raw().uri()).isEqualTo(problemShape(missing));
            assertThat(r.text()).doesNotContain("bert").doesNotContain("Beta");
        }
        // Inside its own account, another account's user id is as missing as a made-up one.
        AdminClient.Reply crossId = adminA.get("/accounts/" + accountA + "/users/" + userB);
        AdminClient.Reply madeUp = adminA.get("/accounts/" + accountA + "/users/made-up");
        assertThat(problemShape(crossId)).isEqualTo(problemShape(madeUp)).startsWith("404");
        assertThat(operator.get(b + "/users/" + userB).get("firstName")).isEqualTo("Ada");
        assertThat(operator.get(b + "/devices/0015654af002").status()).isEqualTo(200);
        assertThat(adminB.get(b).status()).isEqualTo(200);
    }

    @Test
    void bodyFieldsTheCallerMayNotSetAre400AndChangeNothing() throws Exception {
        String a = "/accounts/" + accountA;
        Map<String, String> attempts = Map.of(
                a + "/users", """
                        {"firstName":"Eve","lastName":"X","username":"eve","email":"eve@example.com","extension":"150",
                         "locationId":"%s","accountId":"%s","id":"u1","sipPassword":"x","pinHash":"x"}"""
                        .formatted(locationA, accountB),
                a + "/devices", "{\"mac\":\"0015654af0ee\",\"model\":\"yealink-t46s\",\"accountId\":\"" + accountB
                        + "\",\"provisioningPassword\":\"x\",\"status\":\"active\"}",
                "/tokens", "{\"role\":\"technician\",\"accountId\":\"" + accountA + "\",\"name\":\"t\",\"tokenHash\":\"00\","
                        + "\"prefix\":\"dtk_\",\"id\":\"t1\"}");
        for (var attempt : attempts.entrySet()) {
            AdminClient.Reply r = adminA.post(attempt.getKey(), attempt.getValue());
            assertThat(r.status()).as(attempt.getKey()).isEqualTo(400);
            assertThat(r.json().path("errors").findValuesAsText("reason"))
                    .allMatch(reason -> reason.equals("is not a field of this request or may not be set"));
        }
        AdminClient.Reply patch = adminA.patch(a + "/users/" + userA, "{\"accountId\":\"" + accountB + "\",\"sipUsername\":\"x\"}");
        assertThat(patch.status()).isEqualTo(400);
        assertThat(patch.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("accountId", "sipUsername");
        AdminClient.Reply role = adminA.post("/tokens", "{\"role\":\"operator\",\"name\":\"root please\"}");
        assertThat(role.status()).isEqualTo(400);
        assertThat(role.json().path("errors").get(0).path("field").asText()).isEqualTo("role");
        AdminClient.Reply policy = adminA.put(a + "/security-policy", "{\"accountId\":\"" + accountB + "\"}");
        assertThat(policy.status()).isEqualTo(400);

        // The refused user's own strings, quoted: a random SIP username may contain the letters "eve".
        assertThat(operator.get(a + "/users").text()).doesNotContain("\"eve\"", "eve@example.com", "\"Eve\"");
        assertThat(operator.get(a + "/devices/0015654af0ee").status()).isEqualTo(404);
        assertThat(operator.get("/tokens").text()).doesNotContain("root please");
        assertThat(operator.get(a + "/users/" + userA).get("accountId")).isEqualTo(accountA);
    }

    @Test
    void aTechnicianTokenOnAdminOnlyOperationsIs403() throws Exception {
        String a = "/accounts/" + accountA;
        List<AdminClient.Reply> forbidden = List.of(
                technicianA.post(a + "/users", "{\"firstName\":\"T\"}"),
                technicianA.patch(a + "/users/" + userA, "{\"firstName\":\"T\"}"),
                technicianA.delete(a + "/users/" + userA),
                technicianA.post(a + "/users/" + userA + "/sip-password", null),
                technicianA.post(a + "/devices", "{\"mac\":\"0015654af0aa\",\"model\":\"yealink-t46s\"}"),
                technicianA.delete(a + "/devices/0015654af001"),
                technicianA.patch(a + "/devices/0015654af001", "{\"label\":\"x\"}"),
                technicianA.post(a + "/devices/0015654af001/reactivate", null),
                technicianA.post("/backup", null),
                technicianA.post(a + "/devices/0015654af001/provisioning-password", null),
                technicianA.post(a + "/locations", "{\"name\":\"x\"}"),
                technicianA.get(a + "/locations"),
                technicianA.get(a + "/locations/" + locationA),
                technicianA.get(a + "/security-policy"),
                technicianA.put(a + "/security-policy", "{}"),
                technicianA.post("/tokens", "{\"role\":\"admin\",\"name\":\"escalate\"}"),
                technicianA.get("/tokens"),
                technicianA.delete("/tokens/anything"),
                technicianA.get("/audit"),
                technicianA.post("/accounts", "{\"name\":\"Mine\"}"));
        for (AdminClient.Reply r : forbidden) {
            assertThat(r.status()).as(r.raw().request().method() + " " + r.raw().uri()).isEqualTo(403);
        }
        assertThat(technicianA.get(a + "/users").status()).isEqualTo(200);
        assertThat(technicianA.get(a + "/users/" + userA).status()).isEqualTo(200);
        assertThat(technicianA.get(a + "/devices").status()).isEqualTo(200);
        assertThat(technicianA.get(a + "/devices/0015654af001").status()).isEqualTo(200);
        assertThat(technicianA.put(a + "/devices/0015654af001/user", "{\"userId\":\"" + userA + "\"}").status()).isEqualTo(200);
        assertThat(technicianA.delete(a + "/devices/0015654af001/user").status()).isEqualTo(200);
        assertThat(operator.get(a + "/users/" + userA).get("firstName")).isEqualTo("Ada");
    }

    @Test
    void noDefaultCredentialsAndWeakPinsAreRefused() throws Exception {
        for (String guess : List.of("", "Bearer admin", "Bearer dtk_", "Bearer operator", "Basic YWRtaW46YWRtaW4=")) {
            HttpResponse<String> r = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate())
                    .get("/api/v1/accounts", guess.isEmpty() ? Map.of() : Map.of("Authorization", guess));
            assertThat(r.statusCode()).as(guess).isEqualTo(401);
        }
        Path tokenFile = server.config().dataDir().resolve("operator.token");
        assertThat(Files.getPosixFilePermissions(tokenFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        for (String pin : List.of("1234", "0000", "9876", "12")) {
            AdminClient.Reply r = operator.patch("/accounts/" + accountA + "/users/" + userA,
                    "{\"authorizedUser\":true,\"pin\":\"" + pin + "\"}");
            assertThat(r.status()).as(pin).isEqualTo(400);
            assertThat(r.json().path("errors").get(0).path("field").asText()).isEqualTo("pin");
            assertThat(r.text()).doesNotContain("\"" + pin + "\"");
        }
    }

    @Test
    void rotatingASipPasswordRetiresTheOldOneChangesTheEtagAndIsAudited() throws Exception {
        String mac = "0015654af0a1";
        String password = operator.createDevice(accountA, mac, "yealink-t46s").json().path("provisioning").path("password").asText();
        AdminClient.Reply user = operator.createUser(accountA, locationA, "rotor", "121");
        String oldSip = user.json().path("sip").path("password").asText();
        operator.bind(accountA, mac, user.get("id"));
        HttpResponse<String> before = phone.getBasic("/" + mac + ".cfg", mac, password);
        assertThat(before.body()).contains(oldSip);

        AdminClient.Reply rotated = adminA.post("/accounts/" + accountA + "/users/" + user.get("id") + "/sip-password", null);
        assertThat(rotated.status()).isEqualTo(200);
        String newSip = rotated.get("password");
        assertThat(newSip).hasSize(24).isNotEqualTo(oldSip);
        assertThat(rotated.get("username")).isEqualTo(user.json().path("sip").path("username").asText());

        HttpResponse<String> after = phone.getBasic("/" + mac + ".cfg", mac, password);
        assertThat(after.body()).contains(newSip).doesNotContain(oldSip);
        assertThat(after.headers().firstValue("ETag")).isNotEqualTo(before.headers().firstValue("ETag"));
        HttpResponse<String> revalidate = phone.get("/" + mac + ".cfg", Map.of("Authorization",
                DeviceIdentityAttacksTest.basic(mac, password), "If-None-Match", before.headers().firstValue("ETag").get()));
        assertThat(revalidate.statusCode()).isEqualTo(200);
        assertThat(revalidate.body()).doesNotContain(oldSip);

        String audit = adminA.get("/audit").text();
        assertThat(audit).contains("\"action\":\"user.sip-password.rotate\"").contains("alpha admin")
                .doesNotContain(newSip).doesNotContain(oldSip);
        assertThat(adminA.get("/accounts/" + accountA + "/users/" + user.get("id")).text())
                .doesNotContain(newSip).doesNotContain(oldSip);
    }

    @Test
    void aHugeLimitIsCapped() throws Exception {
        String account = operator.createAccount("Many");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 201; i++) {
                String mac = String.format("0015655%05x", i);
                all.add(pool.submit(() -> operator.createDevice(account, mac, "yealink-t46s")));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        AdminClient.Reply page = operator.get("/accounts/" + account + "/devices?limit=1000000000");
        assertThat(page.json().path("items")).hasSize(200);
        assertThat(page.json().path("next").isNull()).isFalse();
        assertThat(operator.get("/audit?accountId=" + account + "&limit=99999999999999").json().path("items")).hasSize(200);
        assertThat(operator.get("/accounts/" + account + "/devices?limit=abc").status()).isEqualTo(400);
    }

    @Test
    void tokensAreShownOnceListedByPrefixWithLastUseAndRevocable() throws Exception {
        AdminClient.Reply created = adminA.post("/tokens", "{\"role\":\"technician\",\"name\":\"van 7\"}");
        assertThat(created.status()).isEqualTo(201);
        String token = created.get("token");
        assertThat(token).startsWith("dtk_").hasSizeGreaterThan(40);
        assertThat(created.get("prefix")).isEqualTo(token.substring(0, 12));
        assertThat(created.get("accountId")).isEqualTo(accountA);
        assertThat(created.get("role")).isEqualTo("technician");

        AdminClient tech = operator.withToken(token);
        assertThat(tech.get("/accounts/" + accountA + "/users").status()).isEqualTo(200);
        JsonNode listed = findToken(adminA.get("/tokens").json(), created.get("id"));
        assertThat(listed.path("lastUsedAt").isNull()).isFalse();
        assertThat(listed.has("token")).isFalse();
        assertThat(listed.has("tokenHash")).isFalse();
        assertThat(adminA.get("/tokens").text()).doesNotContain(token);
        assertThat(adminB.get("/tokens").text()).doesNotContain(created.get("id"));

        assertThat(adminA.delete("/tokens/" + created.get("id")).status()).isEqualTo(204);
        assertThat(tech.get("/accounts/" + accountA + "/users").status()).isEqualTo(401);
        assertThat(findToken(adminA.get("/tokens").json(), created.get("id")).path("revoked").asBoolean()).isTrue();
        assertThat(adminA.get("/audit").text()).contains("token.create").contains("token.revoke").doesNotContain(token);

        AdminClient.Reply noRole = operator.post("/tokens", "{\"role\":\"root\",\"accountId\":\"" + accountA + "\",\"name\":\"\"}");
        assertThat(noRole.status()).isEqualTo(400);
        assertThat(noRole.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("role", "name");
        assertThat(operator.post("/tokens", "{\"role\":\"admin\",\"name\":\"x\"}").status()).isEqualTo(400);
        AdminClient.Reply op = token("operator", null, "second operator");
        assertThat(op.json().path("accountId").isNull()).isTrue();
        assertThat(Set.of(op.get("token"))).doesNotContain(token);
    }

    static JsonNode findToken(JsonNode page, String id) {
        for (JsonNode item : page.path("items")) {
            if (item.path("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("token " + id + " not listed");
    }
}
