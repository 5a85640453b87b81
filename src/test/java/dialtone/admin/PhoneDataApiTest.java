package dialtone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.config.DialtoneConfig;
import dialtone.store.Database;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import dialtone.testing.Trees;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Template variables and discovered devices through the admin API, with account scoping. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhoneDataApiTest {

    static final String UA = "FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477 Type/Application";
    Path dir;
    TestDialtone server;
    Database sideDoor;
    AdminClient operator;
    AdminClient accountAdmin;
    HttpsClient phone;
    String accountId;
    String otherAccountId;
    String userId;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("dialtone-phone-data");
        String url = "jdbc:h2:mem:phone-data-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
        server = new TestDialtone(dir, Map.of("DIALTONE_DATABASE_URL", url, "DIALTONE_DISCOVERED_MAX", "10"));
        // Issuing account tokens has no API yet: the test writes one through the same in-memory database.
        sideDoor = Database.open(new DialtoneConfig.Database(url, "dialtone", "", 2));
        operator = server.admin();
        phone = server.phone();
        accountId = operator.createAccount("Acme");
        otherAccountId = operator.createAccount("Other");
        String token = new TokenService(sideDoor).issue("test", null, Caller.Role.ADMIN, accountId, "acme admin", null);
        accountAdmin = operator.withToken(token);
        String locationId = operator.createLocation(accountId, "Europe/Berlin");
        userId = operator.createUser(accountId, locationId, "ada", "101").get("id");
    }

    @AfterAll
    void stop() {
        server.close();
        sideDoor.close();
    }

    @Test
    void accountAndDeviceVarsReachTheTemplatesDeviceWinning() throws Exception {
        AdminClient.Reply device = operator.createDevice(accountId, "0004f2c00001", "polycom-vvx500");
        operator.bind(accountId, "0004f2c00001", userId);
        String password = device.json().path("provisioning").path("password").asText();

        AdminClient.Reply account = accountAdmin.put("/accounts/" + accountId + "/vars",
                "{\"vars\":{\"admin_password\":\"account-wide\",\"site\":\"hq\"}}");
        AdminClient.Reply own = accountAdmin.put("/accounts/" + accountId + "/devices/0004f2c00001/vars",
                "{\"vars\":{\"admin_password\":\"<desk & \\\"one\\\">\"}}");

        assertThat(account.status()).isEqualTo(200);
        assertThat(own.status()).isEqualTo(200);
        assertThat(accountAdmin.get("/accounts/" + accountId + "/vars").json().path("vars").path("site").asText())
                .isEqualTo("hq");
        HttpResponse<String> cfg = new dialtone.provisioning.PhoneProbe(phone, UA, "0004f2c00001", password)
                .getProven("/0004f2c00001-user.cfg");
        assertThat(cfg.body()).contains("device.auth.localAdminPassword=\"&lt;desk &amp; &quot;one&quot;&gt;\"");
    }

    @Test
    void badVarsAreRefusedNamingTheFieldAndChangeNothing() throws Exception {
        accountAdmin.put("/accounts/" + accountId + "/vars", "{\"vars\":{\"keep\":\"me\"}}");

        AdminClient.Reply bad = accountAdmin.put("/accounts/" + accountId + "/vars",
                "{\"vars\":{\"Bad-Name\":\"x\",\"newline\":\"a\\nb\",\"number\":5},\"extra\":1}");
        AdminClient.Reply badShape = accountAdmin.put("/accounts/" + accountId + "/vars", "{\"vars\":[1]}");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(bad.json().path("errors").findValuesAsText("field")).containsExactly("extra");
        AdminClient.Reply badValues = accountAdmin.put("/accounts/" + accountId + "/vars",
                "{\"vars\":{\"Bad-Name\":\"x\",\"newline\":\"a\\nb\",\"number\":5}}");
        assertThat(badValues.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("vars.Bad-Name", "vars.newline", "vars.number");
        assertThat(badShape.status()).isEqualTo(400);
        assertThat(badShape.json().path("errors").findValuesAsText("field")).containsExactly("vars");
        assertThat(accountAdmin.get("/accounts/" + accountId + "/vars").json().path("vars").path("keep").asText())
                .isEqualTo("me");
    }

    @Test
    void anotherAccountsVarsLookMissing() throws Exception {
        assertThat(accountAdmin.get("/accounts/" + otherAccountId + "/vars").status()).isEqualTo(404);
        assertThat(accountAdmin.put("/accounts/" + otherAccountId + "/vars", "{\"vars\":{}}").status()).isEqualTo(404);
    }

    @Test
    void unknownDevicesAreDiscoveredForOperatorsOnlyAndCanBeAdopted() throws Exception {
        phone.get("/0004f2c0beef-user.cfg", Map.of("User-Agent", UA));

        Trees.await("sighting recorded", () -> discovered(operator).contains("0004f2c0beef"));
        AdminClient.Reply list = operator.get("/discovered-devices");
        var item = list.json().path("items").get(0);
        assertThat(item.path("family").asText()).isEqualTo("polycom");
        assertThat(item.path("model").asText()).isEqualTo("polycom-vvx500");
        assertThat(item.path("firmware").asText()).isEqualTo("5.9.7.4477");
        assertThat(item.path("address").asText()).isEqualTo("127.0.0.1");
        assertThat(item.path("requests").asLong()).isEqualTo(1);
        AdminClient.Reply asAccountAdmin = accountAdmin.get("/discovered-devices");
        assertThat(asAccountAdmin.status()).isEqualTo(200);
        assertThat(asAccountAdmin.json().path("items")).isEmpty();
        assertThat(accountAdmin.post("/discovered-devices/0004f2c0beef", "{\"accountId\":\"" + accountId + "\"}").status())
                .isEqualTo(404);

        AdminClient.Reply adopted = operator.post("/discovered-devices/0004f2c0beef",
                "{\"accountId\":\"" + accountId + "\",\"label\":\"Front desk\"}");

        assertThat(adopted.status()).isEqualTo(201);
        assertThat(adopted.get("model")).isEqualTo("polycom-vvx500");
        assertThat(adopted.json().path("provisioning").path("password").asText()).hasSizeGreaterThanOrEqualTo(24);
        assertThat(discovered(operator)).doesNotContain("0004f2c0beef");
        assertThat(operator.get("/accounts/" + accountId + "/devices/0004f2c0beef").status()).isEqualTo(200);
    }

    @Test
    void theDiscoveredStoreIsBoundedOldestFirst() throws Exception {
        for (int i = 0; i < 15; i++) {
            phone.get(String.format("/0015650000%02d.cfg", i), Map.of("User-Agent", "Yealink SIP-T46S 66.86.0.15"));
        }

        Trees.await("last sighting recorded", () -> discovered(operator).contains("001565000014"));
        Trees.await("store trimmed", () -> count(operator) <= 10);
        assertThat(discovered(operator)).doesNotContain("001565000000");
    }

    private static String discovered(AdminClient client) {
        try {
            return client.get("/discovered-devices?limit=200").text();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int count(AdminClient client) {
        try {
            return client.get("/discovered-devices?limit=200").json().path("items").size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
