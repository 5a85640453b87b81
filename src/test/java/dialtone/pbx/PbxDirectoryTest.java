package dialtone.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dialtone.core.Json;
import dialtone.security.HttpDigest;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The SIP servers' directory against a real server: answers, scoping, freshness, tokens. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PbxDirectoryTest {

    static final String DOMAIN = "sip.test.example";
    @TempDir
    static Path dir;
    TestDialtone server;
    LogCapture logs;
    AdminClient operator;
    HttpsClient pbx;
    String accountA;
    String accountB;
    String locationA;
    String locationB;
    String tokenAll;

    @BeforeAll
    void start() throws Exception {
        logs = new LogCapture();
        server = new TestDialtone(dir);
        operator = server.admin();
        pbx = new HttpsClient("https://127.0.0.1:" + server.pbxPort(), server.certificate());
        accountA = operator.createAccount("Alpha");
        accountB = operator.createAccount("Beta");
        locationA = operator.createLocation(accountA, "UTC");
        locationB = operator.createLocation(accountB, "UTC");
        tokenAll = pbxToken("{\"role\":\"pbx\",\"name\":\"kamailio\"}").get("token");
    }

    @AfterAll
    void stop() {
        server.close();
        logs.close();
    }

    AdminClient.Reply pbxToken(String body) throws Exception {
        AdminClient.Reply reply = operator.post("/tokens", body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply;
    }

    HttpResponse<String> lookup(String token, String path) throws Exception {
        return pbx.get("/pbx/v1" + path, Map.of("Authorization", "Bearer " + token));
    }

    AdminClient.Reply user(String account, String location, String username, String extension, String extra)
            throws Exception {
        AdminClient.Reply reply = operator.post("/accounts/" + account + "/users", """
                {"firstName":"Ada","lastName":"Lovelace","username":"%s","email":"%s@example.com","extension":"%s",
                 "phoneNumber":"+14155552671","locationId":"%s"%s}""".formatted(username, username, extension, location,
                extra));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply;
    }

    @Test
    void lookupShouldAnswerDigestHashesNumbersNameAndForwardsButNeverThePassword() throws Exception {
        user(accountA, locationA, "bob", "202", "");
        AdminClient.Reply ada = user(accountA, locationA, "ada", "201", """
                ,"unreachableForward":"+14155550199","noAnswerForward":"202","noAnswerSeconds":15""");
        String sipUser = ada.json().at("/sip/username").asText();
        String password = ada.json().at("/sip/password").asText();

        HttpResponse<String> response = lookup(tokenAll, "/subscribers/" + sipUser + "?domain=" + DOMAIN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode s = Json.MAPPER.readTree(response.body());
        assertThat(s.get("found").asBoolean()).isTrue();
        assertThat(s.get("username").asText()).isEqualTo(sipUser);
        assertThat(s.get("realm").asText()).isEqualTo(DOMAIN);
        assertThat(s.get("ha1").asText()).isEqualTo(HttpDigest.md5(sipUser + ":" + DOMAIN + ":" + password));
        assertThat(s.get("ha1b").asText())
                .isEqualTo(HttpDigest.md5(sipUser + "@" + DOMAIN + ":" + DOMAIN + ":" + password));
        assertThat(s.get("extension").asText()).isEqualTo("201");
        assertThat(s.get("number").asText()).isEqualTo("+14155552671");
        assertThat(s.get("displayName").asText()).isEqualTo("Ada Lovelace");
        assertThat(s.get("enabled").asBoolean()).isTrue();
        assertThat(s.at("/unreachableForward/target").asText()).isEqualTo("+14155550199");
        assertThat(s.at("/unreachableForward/type").asText()).isEqualTo("number");
        assertThat(s.at("/noAnswerForward/target").asText()).isEqualTo("202");
        assertThat(s.at("/noAnswerForward/type").asText()).isEqualTo("extension");
        assertThat(s.at("/noAnswerForward/seconds").asInt()).isEqualTo(15);
        assertThat(s.at("/noAnswerForward/username").asText()).startsWith("u");
        assertThat(s.has("password")).isFalse();
        assertThat(response.body()).doesNotContain(password);

        HttpResponse<String> byExtension = lookup(tokenAll, "/subscribers/201?caller=" + sipUser);
        assertThat(Json.MAPPER.readTree(byExtension.body()).get("username").asText()).isEqualTo(sipUser);
    }

    @Test
    void negativeAnswersShouldBeIdenticalForUnknownDisabledOtherAccountsAndDisabledAccounts() throws Exception {
        String scopedToA = pbxToken("{\"role\":\"pbx\",\"name\":\"alpha pbx\",\"accountIds\":[\"" + accountA + "\"]}")
                .get("token");
        AdminClient.Reply carol = user(accountA, locationA, "carol", "301", "");
        AdminClient.Reply dave = user(accountB, locationB, "dave", "301", "");
        String disabledUser = user(accountA, locationA, "erin", "302", ",\"enabled\":false").json()
                .at("/sip/username").asText();
        String accountC = operator.createAccount("Gamma");
        String inDisabledAccount = user(accountC, operator.createLocation(accountC, "UTC"), "fred", "301", "")
                .json().at("/sip/username").asText();
        assertThat(operator.patch("/accounts/" + accountC, "{\"enabled\":false}").status()).isEqualTo(200);
        String ofB = dave.json().at("/sip/username").asText();

        HttpResponse<String> known = lookup(scopedToA, "/subscribers/" + carol.json().at("/sip/username").asText());
        assertThat(known.statusCode()).isEqualTo(200);
        HttpResponse<String> unknown = lookup(scopedToA, "/subscribers/unobody123");
        for (String user : new String[] {ofB, disabledUser}) {
            HttpResponse<String> answer = lookup(scopedToA, "/subscribers/" + user);
            assertThat(answer.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(404);
            assertThat(answer.body()).isEqualTo(unknown.body()).isEqualTo("{\"found\":false}");
            assertThat(answer.headers().map()).isEqualTo(unknown.headers().map());
        }
        HttpResponse<String> disabledAccount = lookup(tokenAll, "/subscribers/" + inDisabledAccount);
        assertThat(disabledAccount.statusCode()).isEqualTo(404);
        assertThat(disabledAccount.body()).isEqualTo(unknown.body());
        assertThat(lookup(tokenAll, "/subscribers/" + ofB).statusCode()).isEqualTo(200);
        assertThat(lookup(tokenAll, "/subscribers/" + ofB + "?domain=other.example").body()).isEqualTo(unknown.body());
        // Extension 301 exists in both accounts with one domain: only the caller's account can tell them apart.
        assertThat(lookup(tokenAll, "/subscribers/301?domain=" + DOMAIN).body()).isEqualTo(unknown.body());
        assertThat(lookup(scopedToA, "/subscribers/301?domain=" + DOMAIN).statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(lookup(tokenAll, "/subscribers/301?caller=" + ofB).body())
                .get("username").asText()).isEqualTo(ofB);
        assertThat(lookup(scopedToA, "/subscribers/301?caller=" + ofB).body()).isEqualTo(unknown.body());
        String ofA = carol.json().at("/sip/username").asText();
        assertThat(lookup(tokenAll, "/subscribers/" + ofB + "?caller=" + ofA).body()).isEqualTo(unknown.body());
    }

    @Test
    void changesShouldCountFromTheVeryNextLookup() throws Exception {
        AdminClient.Reply gina = user(accountA, locationA, "gina", "401", ",\"unreachableForward\":\"+14155550100\"");
        String id = gina.get("id");
        String sipUser = gina.json().at("/sip/username").asText();
        String path = "/subscribers/" + sipUser;
        String before = Json.MAPPER.readTree(lookup(tokenAll, path).body()).get("ha1").asText();

        String rotated = operator.post("/accounts/" + accountA + "/users/" + id + "/sip-password", "").json()
                .get("password").asText();
        JsonNode after = Json.MAPPER.readTree(lookup(tokenAll, path).body());
        assertThat(after.get("ha1").asText()).isNotEqualTo(before)
                .isEqualTo(HttpDigest.md5(sipUser + ":" + DOMAIN + ":" + rotated));

        operator.patch("/accounts/" + accountA + "/users/" + id, "{\"unreachableForward\":\"+14155550111\"}");
        assertThat(Json.MAPPER.readTree(lookup(tokenAll, path).body()).at("/unreachableForward/target").asText())
                .isEqualTo("+14155550111");

        operator.patch("/accounts/" + accountA + "/users/" + id, "{\"enabled\":false}");
        assertThat(lookup(tokenAll, path).statusCode()).isEqualTo(404);
        operator.patch("/accounts/" + accountA + "/users/" + id, "{\"enabled\":true}");
        assertThat(lookup(tokenAll, path).statusCode()).isEqualTo(200);

        assertThat(operator.delete("/accounts/" + accountA + "/users/" + id).status()).isEqualTo(204);
        assertThat(lookup(tokenAll, path).statusCode()).isEqualTo(404);
    }

    @Test
    void accountSipSettingsShouldGiveTheRealmDomainAndPhoneFiles() throws Exception {
        String account = operator.createAccount("Delta");
        String location = operator.createLocation(account, "UTC");
        AdminClient.Reply patched = operator.patch("/accounts/" + account, """
                {"sip":{"domain":"delta.example","registrar":"pbx.delta.example","port":5080,"transport":"TCP",
                 "realm":"delta-realm.example"}}""");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().at("/sip/transport").asText()).isEqualTo("tcp");
        AdminClient.Reply hal = user(account, location, "hal", "501", "");
        String sipUser = hal.json().at("/sip/username").asText();
        String password = hal.json().at("/sip/password").asText();

        JsonNode s = Json.MAPPER.readTree(lookup(tokenAll, "/subscribers/" + sipUser + "?domain=DELTA.example").body());
        assertThat(s.get("domain").asText()).isEqualTo("delta.example");
        assertThat(s.get("realm").asText()).isEqualTo("delta-realm.example");
        assertThat(s.get("ha1").asText()).isEqualTo(HttpDigest.md5(sipUser + ":delta-realm.example:" + password));
        assertThat(lookup(tokenAll, "/subscribers/501?domain=delta.example").statusCode()).isEqualTo(200);

        String provPassword = operator.createDevice(account, "0015654ad501", "yealink-t46s").json()
                .at("/provisioning/password").asText();
        operator.bind(account, "0015654ad501", hal.get("id"));
        String file = server.phone().getDigest("/0015654ad501.cfg", "0015654ad501", provPassword).body();
        // The account's domain is not its registrar: phones register as user@domain through the registrar.
        assertThat(file).contains("account.1.sip_server.1.address = delta.example",
                "account.1.outbound_proxy.1.address = pbx.delta.example", "account.1.outbound_proxy.1.port = 5080",
                "account.1.sip_server.1.transport_type = 1", "account.1.enable = 1");

        operator.patch("/accounts/" + account, "{\"sip\":{\"registrar\":null,\"port\":null}}");
        String back = server.phone().getDigest("/0015654ad501.cfg", "0015654ad501", provPassword).body();
        assertThat(back).contains("account.1.sip_server.1.address = delta.example",
                "account.1.outbound_proxy.1.address = " + DOMAIN, "account.1.outbound_proxy.1.port = 5060");

        operator.patch("/accounts/" + account, "{\"enabled\":false}");
        assertThat(server.phone().getDigest("/0015654ad501.cfg", "0015654ad501", provPassword).body())
                .contains("account.1.enable = 0");
    }

    @Test
    void badAccountSipSettingsShouldBeRefusedNamingEachFieldAndChangeNothing() throws Exception {
        String account = operator.createAccount("Epsilon");
        AdminClient.Reply bad = operator.patch("/accounts/" + account, """
                {"sip":{"domain":"bad domain","port":70000,"transport":"sctp","realm":"x\\"y","colour":"red"}}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsText("field"))
                .contains("sip.colour");
        AdminClient.Reply fields = operator.patch("/accounts/" + account, """
                {"sip":{"domain":"bad domain","port":70000,"transport":"sctp","realm":"x\\"y"}}""");
        assertThat(fields.status()).isEqualTo(400);
        assertThat(fields.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("sip.domain", "sip.port", "sip.transport", "sip.realm");
        JsonNode unchanged = operator.get("/accounts/" + account).json();
        assertThat(unchanged.at("/sip/domain").isNull()).isTrue();
        assertThat(unchanged.at("/sip/port").isNull()).isTrue();

        String admin = operator.post("/tokens", "{\"role\":\"admin\",\"accountId\":\"" + account + "\",\"name\":\"a\"}")
                .get("token");
        AdminClient.Reply byAdmin = operator.withToken(admin).patch("/accounts/" + account,
                "{\"sip\":{\"domain\":\"e.example\"}}");
        assertThat(byAdmin.status()).isEqualTo(403);
    }

    @Test
    void pbxTokensShouldBeOperatorIssuedWithValidScopeAndNeverOpenTheAdminApi() throws Exception {
        String admin = operator.post("/tokens", "{\"role\":\"admin\",\"accountId\":\"" + accountA + "\",\"name\":\"a\"}")
                .get("token");
        AdminClient.Reply byAdmin = operator.withToken(admin).post("/tokens", "{\"role\":\"pbx\",\"name\":\"p\"}");
        assertThat(byAdmin.status()).isEqualTo(400);
        assertThat(byAdmin.text()).contains("only an operator token may create pbx tokens");

        AdminClient.Reply bad = operator.post("/tokens", """
                {"role":"pbx","name":"p","accountIds":["nope"],"allowedSources":["10.0.0.0/33"]}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsText("field")).contains("accountIds", "allowedSources");
        AdminClient.Reply notPbx = operator.post("/tokens", """
                {"role":"admin","accountId":"%s","name":"p","allowedSources":["10.0.0.0/8"]}""".formatted(accountA));
        assertThat(notPbx.status()).isEqualTo(400);

        AdminClient.Reply issued = pbxToken("""
                {"role":"pbx","name":"edge","accountIds":["%s"],"allowedSources":["192.0.2.0/24"]}""".formatted(accountA));
        assertThat(issued.json().get("accountIds").get(0).asText()).isEqualTo(accountA);
        assertThat(issued.json().get("allowedSources").get(0).asText()).isEqualTo("192.0.2.0/24");
        AdminClient.Reply onAdminApi = operator.withToken(tokenAll).get("/accounts");
        assertThat(onAdminApi.status()).isEqualTo(403);

        HttpResponse<String> fromElsewhere = lookup(issued.get("token"), "/subscribers/unobody");
        assertThat(fromElsewhere.statusCode()).isEqualTo(401);
        assertThat(lookup(admin, "/subscribers/unobody").statusCode()).isEqualTo(401);
    }

    @Test
    void deletingAnAccountShouldNarrowItsPbxTokensAndRevokeOneLeftWithoutAccounts() throws Exception {
        String doomed = operator.createAccount("Doomed");
        String kept = operator.createAccount("Kept");
        String user = user(kept, operator.createLocation(kept, "UTC"), "kim", "701", "").json()
                .at("/sip/username").asText();
        String onlyDoomed = pbxToken("{\"role\":\"pbx\",\"name\":\"d\",\"accountIds\":[\"" + doomed + "\"]}")
                .get("token");
        String both = pbxToken("{\"role\":\"pbx\",\"name\":\"b\",\"accountIds\":[\"" + doomed + "\",\"" + kept
                + "\"]}").get("token");
        assertThat(lookup(onlyDoomed, "/subscribers/" + user).statusCode()).isEqualTo(404);

        assertThat(operator.delete("/accounts/" + doomed).status()).isEqualTo(204);

        assertThat(lookup(onlyDoomed, "/subscribers/" + user).statusCode()).isEqualTo(401);
        assertThat(lookup(both, "/subscribers/" + user).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongOrRevokedTokenShouldGet401LoggedOncePerSource() throws Exception {
        AdminClient.Reply issued = pbxToken("{\"role\":\"pbx\",\"name\":\"to revoke\"}");
        assertThat(lookup(issued.get("token"), "/subscribers/unobody").statusCode()).isEqualTo(404);
        assertThat(operator.delete("/tokens/" + issued.get("id")).status()).isEqualTo(204);
        int before = refusalLines();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> revoked = lookup(issued.get("token"), "/subscribers/unobody");
            assertThat(revoked.statusCode()).isEqualTo(401);
            assertThat(revoked.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(lookup("dtk_wrong", "/subscribers/unobody").statusCode()).isEqualTo(401);
            assertThat(pbx.get("/pbx/v1/subscribers/unobody").statusCode()).isEqualTo(401);
        }

        assertThat(refusalLines() - before).isLessThanOrEqualTo(1);
        assertThat(logs.all()).contains("pbx-refused ip=127.0.0.1").doesNotContain(issued.get("token"));
    }

    int refusalLines() {
        return (int) logs.lines().stream().filter(l -> l.startsWith("pbx-refused")).count();
    }

    @Test
    void freeSwitchShouldGetItsDirectoryDocumentOrItsNotFoundResult() throws Exception {
        AdminClient.Reply ivy = user(accountA, locationA, "ivy", "601", ",\"unreachableForward\":\"+14155550122\"");
        String sipUser = ivy.json().at("/sip/username").asText();
        String password = ivy.json().at("/sip/password").asText();
        String form = "section=directory&tag_name=domain&key_name=name&key_value=" + DOMAIN
                + "&Event-Name=REQUEST_PARAMS&action=sip_auth&sip_profile=internal&user=" + sipUser + "&domain=" + DOMAIN;

        HttpResponse<String> found = pbx.send("POST", "/pbx/v1/freeswitch/directory", form, Map.of(
                "Authorization", "Bearer " + tokenAll, "Content-Type", "application/x-www-form-urlencoded"));
        HttpResponse<String> missing = pbx.send("POST", "/pbx/v1/freeswitch/directory",
                form.replace(sipUser, "unobody"), Map.of("Authorization", "Bearer " + tokenAll));

        assertThat(found.statusCode()).isEqualTo(200);
        FreeSwitchSchema.Directory doc = FreeSwitchSchema.parseDirectory(found.body());
        assertThat(doc.domain()).isEqualTo(DOMAIN);
        assertThat(doc.userId()).isEqualTo(sipUser);
        assertThat(doc.params()).containsEntry("a1-hash", HttpDigest.md5(sipUser + ":" + DOMAIN + ":" + password))
                .doesNotContainKey("password");
        assertThat(doc.variables()).containsEntry("forward_user_not_registered_destination", "+14155550122")
                .containsEntry("effective_caller_id_number", "601");
        assertThat(found.body()).doesNotContain(password);
        assertThat(missing.statusCode()).isEqualTo(200);
        assertThat(FreeSwitchSchema.isNotFound(missing.body())).isTrue();
        assertThat(new String(missing.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo(FreeSwitchDirectory.NOT_FOUND);
    }
}
