package dialtone.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dialtone.testing.AdminClient;
import dialtone.testing.TestDialtone;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagementListenerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MAC = "0015654aa937";

    @TempDir
    Path dir;
    TestDialtone server;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        server = new TestDialtone(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void liveAndReadyAnswer200NamingEveryCheck() throws Exception {
        HttpResponse<String> live = get("/health/live");
        HttpResponse<String> ready = get("/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode checks = JSON.readTree(ready.body()).path("checks");
        assertThat(checks.fieldNames()).toIterable().containsExactly("database", "migrations", "listeners", "draining");
        checks.forEach(result -> assertThat(result.asText()).isEqualTo("ok"));
    }

    @Test
    void drainingTurnsReady503NamingTheFailingCheckWhileLiveStays200() throws Exception {
        server.dialtone().drain();

        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).path("failing")).extracting(JsonNode::asText).containsExactly("draining");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsCountRequestsByListenerAndStatusWithoutAnyMacOrName() throws Exception {
        AdminClient admin = server.admin();
        String accountId = admin.createAccount("Metered");
        String locationId = admin.createLocation(accountId, "Europe/Rome");
        admin.createUser(accountId, locationId, "ada.lovelace", "101");
        admin.createDevice(accountId, MAC, "yealink-t46s");
        server.phone().get("/" + MAC + ".cfg");

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body())
                .containsPattern("dialtone_requests_seconds_count\\{listener=\"admin\",status=\"201\"} [4-9]")
                .containsPattern("dialtone_requests_seconds_count\\{listener=\"phone\",status=\"401\"} 1")
                .contains("dialtone_requests_seconds_bucket{listener=\"admin\"")
                .contains("dialtone_worker_queue_depth{pool=\"phone\"}", "dialtone_worker_rejected_total{pool=\"admin\"}")
                .contains("hikaricp_connections_active", "jvm_memory_used_bytes", "process_uptime_seconds")
                .contains("dialtone_outbox_emails{status=\"pending\"} 0", "dialtone_outbox_oldest_pending_age_seconds")
                .containsPattern("dialtone_tls_certificate_expiry_timestamp_seconds [0-9.E]+")
                .doesNotContain(MAC, "ada.lovelace", accountId);
    }

    @Test
    void onlyGetAndHeadOfTheThreeResourcesAreAnswered() throws Exception {
        HttpResponse<String> post = send("POST", "/metrics");
        HttpResponse<String> delete = send("DELETE", "/health/ready");
        HttpResponse<String> head = send("HEAD", "/health/live");
        HttpResponse<String> other = get("/api/v1/accounts");

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(other.statusCode()).isEqualTo(404);
    }

    @Test
    void thePhoneAndAdminListenersDoNotServeMetricsOrHealth() throws Exception {
        for (String path : new String[] {"/metrics", "/health/ready", "/health/live"}) {
            HttpResponse<String> phone = server.phone().get(path);
            HttpResponse<String> admin = new dialtone.testing.HttpsClient("https://127.0.0.1:" + server.adminPort(),
                    server.certificate()).get(path);
            assertThat(phone.statusCode()).as(path).isNotEqualTo(200);
            assertThat(admin.statusCode()).as(path).isNotEqualTo(200);
            assertThat(phone.body() + admin.body()).doesNotContain("jvm_", "\"checks\"");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
