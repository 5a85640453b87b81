package dialtone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Bulk devices: per-row report, bad rows reported with their line, idempotent re-run, export without secrets. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceImportTest {

    /** One server for the class: each test works in accounts of its own. */
    TestDialtone server;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void importReportsEachRowAndARerunChangesNothing() throws Exception {
        AdminClient admin = server.admin();
        HttpsClient http = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        String a = admin.createAccount("Acme");
        String location = admin.createLocation(a, "America/New_York");
        admin.createUser(a, location, "ada", "101");
        admin.createDevice(admin.createAccount("Other"), "001565dd0009", "yealink-t46s");
        String csv = String.join("\n",
                "mac,model,label,username",
                "00:15:65:dd:00:01,yealink-t46s,Front desk,ada",
                "001565dd0002,yealink-t48s,Spare,",
                "001565dd0003,acme-9000,Bad model,",
                "001565dd00,yealink-t46s,Short MAC,",
                "001565dd0004,yealink-t46s,No such user,nobody",
                "001565dd0009,yealink-t46s,Other account,",
                "") ;

        JsonNode first = importCsv(http, server.operatorToken(), a, csv);

        assertThat(first.path("created").asInt()).isEqualTo(2);
        assertThat(first.path("failed").asInt()).isEqualTo(4);
        List<JsonNode> rows = List.copyOf(first.path("rows").findParents("line"));
        assertThat(rows.get(0).path("status").asText()).isEqualTo("created");
        assertThat(rows.get(0).path("provisioning").path("password").asText()).hasSizeGreaterThanOrEqualTo(24);
        assertThat(rows.get(2).path("line").asInt()).isEqualTo(4);
        assertThat(rows.get(2).path("errors").get(0).path("field").asText()).isEqualTo("model");
        assertThat(rows.get(3).path("errors").get(0).path("field").asText()).isEqualTo("mac");
        assertThat(rows.get(4).path("errors").get(0).path("field").asText()).isEqualTo("username");
        assertThat(rows.get(5).path("errors").get(0).path("field").asText()).isEqualTo("mac");
        assertThat(admin.get("/accounts/" + a + "/devices/001565dd0004").status()).isEqualTo(404);
        assertThat(admin.get("/accounts/" + a + "/devices/001565dd0001").get("label")).isEqualTo("Front desk");

        JsonNode again = importCsv(http, server.operatorToken(), a, csv);

        assertThat(again.path("created").asInt()).isZero();
        assertThat(again.path("existing").asInt()).isEqualTo(2);
        assertThat(again.toString()).doesNotContain("password");
        assertThat(admin.get("/accounts/" + a + "/devices").json().path("items").size()).isEqualTo(2);

        HttpResponse<String> export = http.get("/api/v1/accounts/" + a + "/devices:export",
                Map.of("Authorization", "Bearer " + server.operatorToken()));
        assertThat(export.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(export.body().lines().toList()).containsExactly("mac,model,label,username,status",
                "001565dd0001,yealink-t46s,\"Front desk\",ada,active", "001565dd0002,yealink-t48s,Spare,,active");
    }

    @Test
    void fileWithAnUnknownColumnIsRefusedAsAWhole() throws Exception {
        HttpsClient http = new HttpsClient("https://127.0.0.1:" + server.adminPort(), server.certificate());
        String a = server.admin().createAccount("Acme");

        HttpResponse<String> response = http.send("POST", "/api/v1/accounts/" + a + "/devices:import",
                "mac,model,password\n001565dd0001,yealink-t46s,x\n",
                Map.of("Authorization", "Bearer " + server.operatorToken(), "Content-Type", "text/csv"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("header.password");
        assertThat(server.admin().get("/accounts/" + a + "/devices").json().path("items").size()).isZero();
    }

    private static JsonNode importCsv(HttpsClient http, String token, String account, String csv) throws Exception {
        HttpResponse<String> response = http.send("POST", "/api/v1/accounts/" + account + "/devices:import", csv,
                Map.of("Authorization", "Bearer " + token, "Content-Type", "text/csv"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
