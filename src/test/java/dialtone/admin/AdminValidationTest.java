package dialtone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dialtone.testing.AdminClient;
import dialtone.testing.TestDialtone;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every user and device rule broken once: a problem+json naming the field, and nothing created. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminValidationTest {

    TestDialtone server;
    AdminClient admin;
    String accountId;
    String locationId;
    String otherLocationId;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir);
        admin = server.admin();
        accountId = admin.createAccount("Acme");
        locationId = admin.createLocation(accountId, "America/New_York");
        otherLocationId = admin.createLocation(admin.createAccount("Other"), "Europe/Berlin");
        admin.createUser(accountId, locationId, "Taken.Name", "200");
        admin.createDevice(accountId, "00:15:65:00:00:01", "yealink-t46s");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String user(String field, String jsonValue) {
        String base = """
                {"firstName":"Ada","lastName":"Lovelace","username":"ada","email":"ada@example.com",
                 "extension":"101","locationId":"%s"}""".formatted(locationId);
        JsonNode node;
        try {
            node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(base);
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).set(field,
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(jsonValue));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return node.toString();
    }

    private int userCount() throws Exception {
        return admin.get("/accounts/" + accountId + "/users?limit=200").json().path("items").size();
    }

    @ParameterizedTest(name = "{0} = {1} -> {2} naming {3}")
    @CsvSource(delimiter = '|', value = {
            "username|'\"ada lovelace\"'|400|",
            "username|'\"ada/lovelace\"'|400|",
            "username|'\"ada\uD83D\uDE00\"'|400|",
            "username|'\"TAKEN.name\"'|409|",
            "extension|'\"10a\"'|400|",
            "extension|'\"200\"'|409|",
            "extension|'\"1\"'|400|",
            "email|'\"not-an-email\"'|400|",
            "email|'\"a@b\"'|400|",
            "phoneNumber|'\"555-0101\"'|400|",
            "phoneNumber|'\"+1555\"'|400|",
            "unreachableForward|'\"555-0101\"'|400|",
            "unreachableForward|'\"999\"'|400|",
            "timeZone|'\"Mars/Olympus_Mons\"'|400|",
            "locationId|'\"no-such-location\"'|400|",
            "authorizedUser|true|400|pin",
            "pin|'\"4821\"'|400|",
            "firstName|'\"Ada\\nLovelace\"'|400|",
            "firstName|'\"\"'|400|",
            "emailVoicemails|'\"yes\"'|400|",
            "accountId|'\"x\"'|400|",
            "id|'\"x\"'|400|",
            "sipPassword|'\"x\"'|400|",
    })
    void badUserFieldIsRefusedNamingItAndCreatesNothing(String field, String value, int status, String named)
            throws Exception {
        int before = userCount();

        AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/users", user(field, value));

        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.json().path("status").asInt()).isEqualTo(status);
        assertThat(reply.json().path("errors").findValuesAsText("field")).contains(named == null ? field : named);
        assertThat(userCount()).isEqualTo(before);
    }

    @Test
    void locationOfAnotherAccountIsRefused() throws Exception {
        AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/users", user("locationId", "\"" + otherLocationId + "\""));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("locationId");
    }

    @Test
    void trivialPinsAreRefusedAndAGoodOneIsStoredAsAHashOnly() throws Exception {
        for (String pin : new String[] {"1111", "1234", "9876", "12", "12345678901", "12a4"}) {
            String body = user("authorizedUser", "true").replace("}", ",\"pin\":\"" + pin + "\"}");
            AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/users", body);
            assertThat(reply.status()).as(pin).isEqualTo(400);
            assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("pin");
            assertThat(reply.text()).doesNotContain(pin.length() >= 4 ? pin : "\"" + pin + "\"");
        }
        String body = user("authorizedUser", "true").replace("}", ",\"pin\":\"4821\"}").replace("\"ada\"", "\"pinned\"")
                .replace("\"101\"", "\"111\"");
        AdminClient.Reply created = admin.post("/accounts/" + accountId + "/users", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text()).doesNotContain("4821").doesNotContain("pin\"");
        assertThat(created.json().path("authorizedUser").asBoolean()).isTrue();
    }

    @Test
    void anAbsentTimeZoneIsTheLocations() throws Exception {
        AdminClient.Reply created = admin.post("/accounts/" + accountId + "/users",
                user("username", "\"zoned\"").replace("\"101\"", "\"102\""));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.get("timeZone")).isEqualTo("America/New_York");
    }

    @Test
    void forwardToAnExtensionOfTheSameAccountIsAccepted() throws Exception {
        AdminClient.Reply created = admin.post("/accounts/" + accountId + "/users",
                user("unreachableForward", "\"200\"").replace("\"ada\"", "\"fwd\"").replace("\"101\"", "\"103\""));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.get("unreachableForward")).isEqualTo("200");
    }

    @Test
    void patchWithABadValueChangesNothing() throws Exception {
        AdminClient.Reply created = admin.post("/accounts/" + accountId + "/users",
                user("username", "\"patchme\"").replace("\"101\"", "\"104\""));
        String path = "/accounts/" + accountId + "/users/" + created.get("id");

        AdminClient.Reply reply = admin.patch(path, "{\"firstName\":\"Grace\",\"extension\":\"x1\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(admin.get(path).get("firstName")).isEqualTo("Ada");
    }

    @ParameterizedTest
    @CsvSource({"00156500000", "0015650000011", "00156500000g", "00:15:65:00:00", "００１５６５０００００２", "000000000000"})
    void malformedMacIsRefusedAndCreatesNothing(String mac) throws Exception {
        int before = admin.get("/accounts/" + accountId + "/devices").json().path("items").size();

        AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/devices",
                "{\"mac\":\"" + mac + "\",\"model\":\"yealink-t46s\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("mac");
        assertThat(admin.get("/accounts/" + accountId + "/devices").json().path("items").size()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource({"00-15-65-00-00-01", "0015.6500.0001", "001565000001", "00:15:65:00:00:01"})
    void duplicateMacInAnyNotationIsAConflict(String mac) throws Exception {
        AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/devices",
                "{\"mac\":\"" + mac + "\",\"model\":\"yealink-t46s\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("mac");
    }

    @Test
    void unknownModelIsRefused() throws Exception {
        AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/devices",
                "{\"mac\":\"001565000099\",\"model\":\"acme-9000\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("model");
    }

    @Test
    void macIsStoredAndReturnedAsTwelveLowercaseHexDigits() throws Exception {
        AdminClient.Reply reply = admin.createDevice(accountId, "00-15-65-AB-CD-EF", "yealink-t46s");

        assertThat(reply.get("mac")).isEqualTo("001565abcdef");
        assertThat(admin.get("/accounts/" + accountId + "/devices/00:15:65:AB:CD:EF").get("mac")).isEqualTo("001565abcdef");
    }

    @Test
    void bodyThatIsNotJsonIsABadRequest() throws Exception {
        AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/users", "{not json");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("body");
    }

    // The cap itself (limit=1000000000 gives 200) is proven with 201 devices in AdminApiAttacksTest line 22.
    @Test
    void aSmallLimitPagesOnWithTheNextCursor() throws Exception {
        for (int i = 0; i < 3; i++) {
            admin.createAccount("Bulk " + i);
        }
        AdminClient.Reply small = admin.get("/accounts?limit=2");

        assertThat(small.json().path("items").size()).isEqualTo(2);
        assertThat(small.get("next")).isNotEmpty();
        AdminClient.Reply next = admin.get("/accounts?limit=2&after=" + small.get("next"));
        assertThat(next.json().path("items").get(0).path("id").asText())
                .isGreaterThan(small.json().path("items").get(1).path("id").asText());
    }

    @Test
    void missingOrWrongTokenIsUnauthorized() throws Exception {
        AdminClient.Reply reply = admin.withToken("dtk_wrong").get("/accounts");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        assertThat(admin.get("/nothing-here").status()).isEqualTo(404);
        AdminClient.Reply reply = admin.call("PATCH", "/accounts", "{}");
        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.raw().headers().firstValue("Allow")).hasValue("POST, GET");
    }

    @Test
    void unknownQueryParametersAreRefusedNamingEachOne() throws Exception {
        AdminClient.Reply reply = admin.get("/accounts/" + accountId + "/users?username=Taken.Name&sort=name");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").findValuesAsText("field")).containsExactly("sort", "username");
        assertThat(admin.get("/accounts/" + accountId + "?limit=5").status()).isEqualTo(400);
    }

    @Test
    void unknownQueryParameterOnAChangeChangesNothing() throws Exception {
        AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/users?dryRun=true", """
                {"firstName":"Query","lastName":"Param","username":"query.param","email":"q@example.com",
                 "extension":"299","locationId":"%s"}""".formatted(locationId));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(admin.get("/accounts/" + accountId + "/users?q=query.param").json().path("items")).isEmpty();
    }

    @Test
    void userSearchFindsByNameAndTheDeviceListNamesTheUser() throws Exception {
        JsonNode found = admin.get("/accounts/" + accountId + "/users?q=taken").json().path("items");
        assertThat(found.findValuesAsText("username")).containsExactly("Taken.Name");
        String userId = found.get(0).path("id").asText();
        admin.createDevice(accountId, "00:15:65:00:00:77", "yealink-t46s");
        admin.bind(accountId, "001565000077", userId);
        JsonNode devices = admin.get("/accounts/" + accountId + "/devices").json().path("items");
        JsonNode bound = null;
        for (JsonNode device : devices) {
            if (device.path("mac").asText().equals("001565000077")) {
                bound = device;
            }
        }
        assertThat(bound).isNotNull();
        assertThat(bound.path("userName").asText()).isEqualTo("Ada Lovelace");
    }

    @Test
    void locationsCanBeCorrectedAndUnusedOnesDeleted() throws Exception {
        String spare = admin.createLocation(accountId, "America/Chicago");
        AdminClient.Reply fixed = admin.patch("/accounts/" + accountId + "/locations/" + spare, """
                {"address":{"street":"2 Main St","city":"Springfield","region":"IL","postalCode":"62701",
                 "country":"US"}}""");
        assertThat(fixed.status()).isEqualTo(200);
        assertThat(fixed.json().path("address").path("street").asText()).isEqualTo("2 Main St");
        assertThat(admin.patch("/accounts/" + accountId + "/locations/" + spare, "{\"timeZone\":\"Nowhere/Land\"}")
                .json().path("errors").findValuesAsText("field")).containsExactly("timeZone");
        assertThat(admin.delete("/accounts/" + accountId + "/locations/" + locationId).status()).isEqualTo(409);
        assertThat(admin.delete("/accounts/" + accountId + "/locations/" + spare).status()).isEqualTo(204);
        assertThat(admin.get("/accounts/" + accountId + "/locations/" + spare).status()).isEqualTo(404);
    }

    @Test
    void onlyAnOperatorDeletesAnAccountAndOneInUseNeedsForce() throws Exception {
        String doomed = admin.createAccount("Doomed");
        String doomedLocation = admin.createLocation(doomed, "America/Chicago");
        admin.createUser(doomed, doomedLocation, "doomed.user", "300");
        String adminToken = admin.post("/tokens", "{\"role\":\"admin\",\"accountId\":\"" + doomed
                + "\",\"name\":\"doomed admin\"}").get("token");
        assertThat(admin.withToken(adminToken).delete("/accounts/" + doomed + "?force=true").status()).isEqualTo(403);
        AdminClient.Reply refused = admin.delete("/accounts/" + doomed);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("1 users and 0 devices");
        assertThat(admin.delete("/accounts/" + doomed + "?force=yes").status()).isEqualTo(400);
        assertThat(admin.delete("/accounts/" + doomed + "?force=true").status()).isEqualTo(204);
        assertThat(admin.get("/accounts/" + doomed).status()).isEqualTo(404);
        assertThat(admin.withToken(adminToken).get("/accounts/" + doomed).status()).isEqualTo(401);
    }

    @Test
    void aTokenExpiryMustBeAFutureTimeWithAnOffset() throws Exception {
        for (String bad : new String[] {"tomorrow", "2020-01-01T00:00:00Z", "2027-01-01T00:00:00"}) {
            AdminClient.Reply reply = admin.post("/tokens", "{\"role\":\"admin\",\"accountId\":\"" + accountId
                    + "\",\"name\":\"x\",\"expiresAt\":\"" + bad + "\"}");
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.json().path("errors").findValuesAsText("field")).containsExactly("expiresAt");
        }
        AdminClient.Reply ok = admin.post("/tokens", "{\"role\":\"admin\",\"accountId\":\"" + accountId
                + "\",\"name\":\"x\",\"expiresAt\":\"" + java.time.OffsetDateTime.now().plusDays(1) + "\"}");
        assertThat(ok.status()).isEqualTo(201);
        assertThat(admin.withToken(ok.get("token")).get("/accounts/" + accountId).status()).isEqualTo(200);
    }

    @Test
    void aTakenUsernameOrMacAnswersAlikeWhicheverAccountHoldsIt() throws Exception {
        String other = admin.createAccount("Elsewhere");
        String otherLocation = admin.createLocation(other, "Europe/Berlin");
        String user = """
                {"firstName":"Dup","lastName":"Licate","username":"TAKEN.name","email":"d@example.com",
                 "extension":"%s","locationId":"%s"}""";
        AdminClient.Reply sameAccount = admin.post("/accounts/" + accountId + "/users", user.formatted("288", locationId));
        AdminClient.Reply otherAccount = admin.post("/accounts/" + other + "/users", user.formatted("288", otherLocation));
        assertThat(sameAccount.status()).isEqualTo(409);
        assertThat(otherAccount.text()).isEqualTo(sameAccount.text());
        assertThat(otherAccount.text()).contains("unique across all accounts");
        String device = "{\"mac\":\"00-15-65-00-00-01\",\"model\":\"yealink-t46s\"}";
        AdminClient.Reply macHere = admin.post("/accounts/" + accountId + "/devices", device);
        AdminClient.Reply macThere = admin.post("/accounts/" + other + "/devices", device);
        assertThat(macHere.status()).isEqualTo(409);
        assertThat(macThere.text()).isEqualTo(macHere.text());
    }
}
