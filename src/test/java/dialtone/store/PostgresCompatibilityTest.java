package dialtone.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dialtone.config.DialtoneConfig;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import dialtone.testing.TestPostgres;
import dialtone.testing.Wavs;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server on PostgreSQL: the Flyway scripts, the admin API, a phone's Digest fetch over TLS,
 * unique-violation mapping under a real race, a CSV import and a restart, each run in a fresh schema.
 * Runs when {@code DIALTONE_TEST_POSTGRES_URL} (and {@code _USER}, {@code _PASSWORD}) name a server.
 */
class PostgresCompatibilityTest {

    static final String MAC = "0015654aa937";
    static final String UA = "Yealink SIP-T46S 66.86.0.15 00:15:65:4a:a9:37";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestPostgres postgres;
    TestDialtone server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(TestPostgres.configured(), TestPostgres.URL_VARIABLE
                + " is not set; PostgreSQL compatibility not checked (see README, Using PostgreSQL)");
        postgres = TestPostgres.create();
        server = new TestDialtone(dir, postgres.overrides());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void migrationsCreateTheSchemaWithLowerCaseNamesAndTheServerRunsOnIt() throws Exception {
        assertThat(server.config().database().url()).startsWith("jdbc:postgresql:");
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            assertThat(strings(s, "select version from flyway_schema_history where success order by installed_rank"))
                    .containsExactlyElementsOf(Migrations.versions());
            assertThat(strings(s, "select table_name from information_schema.tables where table_schema = '"
                    + postgres.schema() + "' order by table_name")).contains("account", "account_policy", "api_token",
                    "app_user", "audit_event", "device", "discovered_device", "email_outbox", "greeting", "portal_admin",
                    "portal_session", "portal_setup", "password_reset");
            assertThat(strings(s, "select data_type from information_schema.columns where table_schema = '"
                    + postgres.schema() + "' and table_name = 'greeting' and column_name = 'audio'")).containsExactly("bytea");
        }
        // Opening again on a migrated schema is a no-op, not a failure.
        DialtoneConfig.Database config = server.config().database();
        try (Database again = Database.open(config)) {
            assertThat(again.dsl().fetchCount(again.dsl().selectOne())).isOne();
        }
        // BACKUP TO is H2's; on PostgreSQL the API says so instead of failing with a SQL error.
        AdminClient.Reply backup = server.admin().post("/backup", "");
        assertThat(backup.status()).isEqualTo(501);
        assertThat(backup.text()).contains("pg_dump");
    }

    @Test
    void aPhoneBootsOnPostgresAndEverythingSurvivesARestart() throws Exception {
        AdminClient admin = server.admin();
        String accountId = admin.createAccount("Acme");
        String locationId = admin.createLocation(accountId, "America/New_York");
        AdminClient.Reply user = admin.createUser(accountId, locationId, "ada", "101");
        String userId = user.get("id");
        String sipUser = user.json().path("sip").path("username").asText();
        String sipPassword = user.json().path("sip").path("password").asText();
        String provPassword = admin.createDevice(accountId, "00:15:65:4A:A9:37", "yealink-t46s")
                .json().path("provisioning").path("password").asText();
        admin.bind(accountId, MAC, userId);

        assertPhoneGetsItsConfig(server.phone(), sipUser, sipPassword, provPassword);

        // bytea round trip: the greeting comes back byte for byte.
        byte[] greeting = Wavs.mulaw8k(1000);
        HttpsClient http = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        String greetingPath = "/api/v1/accounts/" + accountId + "/users/" + userId + "/greeting";
        Map<String, String> auth = Map.of("Authorization", "Bearer " + server.operatorToken());
        assertThat(http.sendBytes("PUT", greetingPath, greeting, Map.of("Authorization", "Bearer " + server.operatorToken(),
                "Content-Type", "audio/wav", "Content-Disposition", "attachment; filename=\"greeting.wav\"")).statusCode())
                .isEqualTo(200);

        // The identity column numbers audit events; the newest comes first.
        JsonNode audit = admin.get("/audit?limit=3").json().path("items");
        assertThat(audit).isNotEmpty();
        assertThat(audit.get(0).path("id").asLong()).isGreaterThan(audit.get(audit.size() - 1).path("id").asLong());

        server.restart();

        AdminClient after = server.admin();
        http = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        assertThat(after.get("/accounts/" + accountId + "/users/" + userId).json().path("username").asText()).isEqualTo("ada");
        assertThat(after.get("/accounts/" + accountId + "/devices/" + MAC).json().path("userId").asText()).isEqualTo(userId);
        assertThat(http.sendBytes("GET", greetingPath, null, auth).body()).isEqualTo(greeting);
        assertPhoneGetsItsConfig(server.phone(), sipUser, sipPassword, provPassword);
    }

    @Test
    void anUnknownPhoneIsDiscoveredAndItsRequestsAddUpAcrossBatches() throws Exception {
        AdminClient admin = server.admin();
        String unknown = "/0015654aa938.cfg";
        server.phone().get(unknown, Map.of("User-Agent", UA));
        // Listing writes what is pending first: the first batch inserts the row, the second adds to it.
        assertThat(admin.get("/discovered-devices").json().path("items").get(0).path("requests").asLong()).isEqualTo(1);
        server.phone().get(unknown, Map.of("User-Agent", UA));
        server.phone().get(unknown, Map.of("User-Agent", UA));

        JsonNode item = admin.get("/discovered-devices").json().path("items").get(0);

        assertThat(item.path("mac").asText()).isEqualTo("0015654aa938");
        assertThat(item.path("model").asText()).isEqualTo("yealink-t46s");
        assertThat(item.path("requests").asLong()).isEqualTo(3);
    }

    @Test
    void duplicatesAreConflictsEvenWhenTheyRaceToTheDatabase() throws Exception {
        AdminClient admin = server.admin();
        String accountId = admin.createAccount("Acme");
        String locationId = admin.createLocation(accountId, "Europe/Paris");
        admin.createUser(accountId, locationId, "ada", "101");
        admin.createDevice(accountId, MAC, "yealink-t46s");

        assertThat(admin.post("/accounts/" + accountId + "/users", userJson("ADA", "102", locationId)).status())
                .isEqualTo(409);
        assertThat(admin.post("/accounts/" + accountId + "/users", userJson("ada", "102", locationId)).json()
                .path("errors").get(0).path("field").asText()).isEqualTo("username");
        AdminClient.Reply sameExtension = admin.post("/accounts/" + accountId + "/users",
                userJson("ext.clash", "101", locationId));
        assertThat(sameExtension.status()).isEqualTo(409);
        assertThat(sameExtension.json().path("errors").get(0).path("field").asText()).isEqualTo("extension");
        AdminClient.Reply sameMac = admin.post("/accounts/" + accountId + "/devices",
                "{\"mac\":\"00-15-65-4a-a9-37\",\"model\":\"yealink-t46s\"}");
        assertThat(sameMac.status()).isEqualTo(409);
        assertThat(sameMac.json().path("errors").get(0).path("field").asText()).isEqualTo("mac");

        // Simultaneous creates all pass the service's pre-check; PostgreSQL's unique index decides.
        List<Integer> users = race(8, i -> admin.post("/accounts/" + accountId + "/users",
                userJson("grace", Integer.toString(200 + i), locationId)).status());
        List<Integer> devices = race(8, i -> admin.post("/accounts/" + accountId + "/devices",
                "{\"mac\":\"001565000001\",\"model\":\"yealink-t46s\"}").status());
        assertThat(users).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        assertThat(devices).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
    }

    @Test
    void aUserImportCreatesRowsAndReportsTheBadOne() throws Exception {
        AdminClient admin = server.admin();
        String accountId = admin.createAccount("Bulk");
        String locationId = admin.createLocation(accountId, "America/Chicago");
        String csv = """
                firstName,lastName,username,email,extension,locationId,authorizedUser,pin,mac,model,label
                Wen,Li,wen,wen@example.com,301,%1$s,true,4821,001565aa0001,yealink-t46s,Desk 1
                Kai,Li,kai,kai@example.com,302,%1$s,false,,,,
                Max,Li,max,max@example.com,301,%1$s,false,,,,
                Eve,Li,eve,eve@example.com,304,%1$s,false,,001565aa0001,yealink-t46s,Desk 4
                """.formatted(locationId);
        HttpsClient http = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        HttpResponse<String> response = http.send("POST", "/api/v1/accounts/" + accountId + "/users:import", csv,
                Map.of("Authorization", "Bearer " + server.operatorToken(), "Content-Type", "text/csv"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.path("created").asInt()).isEqualTo(2);
        assertThat(report.path("failed").asInt()).isEqualTo(2);
        assertThat(report.path("rows").get(2).path("errors").get(0).path("field").asText()).isEqualTo("extension");
        assertThat(report.path("rows").get(3).path("errors").get(0).path("field").asText()).isEqualTo("mac");
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            assertThat(strings(s, "select username from app_user order by username")).containsExactly("kai", "wen");
            assertThat(strings(s, "select count(*) from device where user_id is not null")).containsExactly("1");
        }
    }

    @Test
    void aNulCharacterIsABadFieldNotADatabaseError() throws Exception {
        // PostgreSQL cannot even compare text holding U+0000; H2 can. Refused where it comes in, named.
        AdminClient admin = server.admin();
        String accountId = admin.createAccount("Acme");
        admin.createDevice(accountId, MAC, "yealink-t46s");

        AdminClient.Reply cursor = admin.get("/accounts/" + accountId + "/devices?after=0015%00");
        AdminClient.Reply bind = admin.put("/accounts/" + accountId + "/devices/" + MAC + "/user",
                "{\"userId\":\"u\\u0000\"}");
        HttpsClient http = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        HttpResponse<String> csv = http.send("POST", "/api/v1/accounts/" + accountId + "/devices:import",
                "mac,model,label,username\n001565aabbcd,yealink-t46s,Desk,a\u0000b\n",
                Map.of("Authorization", "Bearer " + server.operatorToken(), "Content-Type", "text/csv"));

        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.json().path("errors").get(0).path("field").asText()).isEqualTo("after");
        assertThat(bind.status()).isEqualTo(400);
        assertThat(bind.json().path("errors").get(0).path("field").asText()).isEqualTo("userId");
        JsonNode row = JSON.readTree(csv.body()).path("rows").get(0);
        assertThat(row.path("status").asText()).isEqualTo("failed");
        assertThat(row.path("errors").get(0).path("field").asText()).isEqualTo("username");
        assertThat(row.path("errors").get(0).path("reason").asText()).contains("NUL");
        assertThat(admin.get("/accounts/" + accountId + "/devices/001565aabbcd").status()).isEqualTo(404);
    }

    private void assertPhoneGetsItsConfig(HttpsClient phone, String sipUser, String sipPassword, String provPassword)
            throws Exception {
        HttpResponse<String> cfg = phone.getDigest("/" + MAC + ".cfg", MAC, provPassword, Map.of("User-Agent", UA));
        assertThat(cfg.statusCode()).isEqualTo(200);
        assertThat(cfg.body()).containsPattern("(?m)^account\\.1\\.user_name\\s*=\\s*" + sipUser + "$")
                .containsPattern("(?m)^account\\.1\\.password\\s*=\\s*" + java.util.regex.Pattern.quote(sipPassword) + "$");
        assertThat(phone.getDigest("/" + MAC + ".cfg", MAC, provPassword + "x", Map.of("User-Agent", UA)).statusCode())
                .isEqualTo(401);
    }

    private static String userJson(String username, String extension, String locationId) {
        return """
                {"firstName":"Grace","lastName":"Hopper","username":"%s","email":"%s@example.com",
                 "extension":"%s","locationId":"%s"}""".formatted(username, username.toLowerCase(), extension, locationId);
    }

    private interface Attempt {
        int status(int index) throws Exception;
    }

    private static List<Integer> race(int n, Attempt attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Integer> call = () -> {
                    go.await();
                    return attempt.status(index);
                };
                results.add(pool.submit(call));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> strings(Statement s, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
