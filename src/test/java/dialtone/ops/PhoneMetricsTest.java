package dialtone.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.HttpsClient;
import dialtone.testing.SipResponder;
import dialtone.testing.TestDialtone;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the people on call read about the phones on /metrics, after a real server has answered real phone
 * requests: requests by family, kind of file and status, refusals by reason, cache lookups, TLS handshakes,
 * resync NOTIFYs and discovered devices, with the counts those requests make, and never a MAC or a name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhoneMetricsTest {

    static final String MAC = "0015654aa937";
    static final String UNKNOWN_MAC = "0015654aa938";
    static final String UA = "Yealink SIP-T46S 66.86.0.15 00:15:65:4a:a9:37";

    TestDialtone server;
    String accountId;
    String metrics;

    @BeforeAll
    void driveThePhoneSide(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir);
        AdminClient admin = server.admin();
        accountId = admin.createAccount("Metered Phones");
        String locationId = admin.createLocation(accountId, "Europe/Rome");
        String userId = admin.createUser(accountId, locationId, "grace.hopper", "101").get("id");
        String password = admin.createDevice(accountId, MAC, "yealink-t46s").json().path("provisioning")
                .path("password").asText();
        admin.bind(accountId, MAC, userId);
        HttpsClient phone = server.phone();
        Map<String, String> ua = Map.of("User-Agent", UA);

        // Each getDigest is a challenge (401, no proof) and then the proven or refused request.
        assertThat(phone.getDigest("/" + MAC + ".cfg", MAC, password, ua).statusCode()).isEqualTo(200);
        assertThat(phone.getDigest("/" + MAC + ".cfg", MAC, password, ua).statusCode()).isEqualTo(200);
        assertThat(phone.getDigest("/" + MAC + ".cfg", MAC, password + "x", ua).statusCode()).isEqualTo(401);
        assertThat(phone.getDigest("/" + UNKNOWN_MAC + ".cfg", UNKNOWN_MAC, password, ua).statusCode()).isEqualTo(401);
        assertThat(phone.get("/y000000000066.cfg", ua).statusCode()).isEqualTo(200);
        assertThat(phone.get("/y000000000066.cfg", ua).statusCode()).isEqualTo(200);
        try (SipResponder sip = new SipResponder()) {
            admin.patch("/accounts/" + accountId + "/devices/" + MAC,
                    "{\"sipContact\":\"sip:grace@127.0.0.1:" + sip.port() + "\"}");
            assertThat(admin.post("/accounts/" + accountId + "/devices/" + MAC + "/resync", null).json().path("status")
                    .asInt()).isEqualTo(200);
        }
        sendPlainHttpToTheTlsPort();
        new Socket("127.0.0.1", server.phonePort()).close();

        // Sightings of unknown devices are written in the background; a closed connection is seen on the event loop.
        metrics = Await.until("the unknown MAC among the discovered devices and the closed handshake", this::scrape,
                text -> text.contains("dialtone_discovered_devices 1.0") && text.contains("result=\"closed\""));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A client that speaks plain HTTP to the phone listener: its TLS handshake fails. */
    private void sendPlainHttpToTheTlsPort() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.phonePort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // until the server closes the connection
            }
        }
    }

    String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.managementPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of one series, found by its name and exact labels as Micrometer writes them (sorted). */
    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("series %s in /metrics", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void phoneRequestsAreCountedByFamilyKindOfFileAndStatusWithLatencyBuckets() {
        assertThat(value(metrics, "dialtone_phone_requests_seconds_count{family=\"yealink-t4x\",file=\"own\",status=\"200\"}"))
                .isEqualTo(2);
        assertThat(value(metrics, "dialtone_phone_requests_seconds_count{family=\"yealink-t4x\",file=\"own\",status=\"401\"}"))
                .as("three challenges and one wrong password for the registered device").isEqualTo(4);
        assertThat(value(metrics, "dialtone_phone_requests_seconds_count{family=\"unknown\",file=\"own\",status=\"401\"}"))
                .as("a path several families share, for a MAC no device has: challenge and refusal").isEqualTo(2);
        assertThat(value(metrics, "dialtone_phone_requests_seconds_count{family=\"yealink-t4x\",file=\"common\",status=\"200\"}"))
                .isEqualTo(2);
        assertThat(metrics).containsPattern("dialtone_phone_requests_seconds_bucket\\{family=\"yealink-t4x\",file=\"own\","
                + "status=\"200\",le=\"[0-9.]+\"} 2");
    }

    @Test
    void refusalsAreCountedByReasonAndThrottleBlocksFromZero() {
        assertThat(value(metrics, "dialtone_phone_refusals_total{reason=\"no_proof\"}")).isEqualTo(4);
        assertThat(value(metrics, "dialtone_phone_refusals_total{reason=\"wrong_proof\"}")).isEqualTo(1);
        assertThat(value(metrics, "dialtone_phone_refusals_total{reason=\"unknown_mac\"}")).isEqualTo(1);
        assertThat(value(metrics, "dialtone_phone_refusals_total{reason=\"throttled\"}")).isZero();
        assertThat(value(metrics, "dialtone_phone_throttle_blocks_total")).isZero();
    }

    @Test
    void renderedFilesAreRenderedOnceThenFoundInMemory() {
        assertThat(value(metrics, "dialtone_rendered_file_cache_lookups_total{file=\"own\",result=\"miss\"}")).isEqualTo(1);
        assertThat(value(metrics, "dialtone_rendered_file_cache_lookups_total{file=\"own\",result=\"hit\"}")).isEqualTo(1);
        assertThat(value(metrics, "dialtone_rendered_file_cache_lookups_total{file=\"common\",result=\"miss\"}"))
                .isEqualTo(1);
        assertThat(value(metrics, "dialtone_rendered_file_cache_lookups_total{file=\"common\",result=\"hit\"}"))
                .isEqualTo(1);
    }

    @Test
    void tlsHandshakesAreCountedByListenerProtocolAndResult() {
        assertThat(value(metrics, "dialtone_tls_handshakes_total{listener=\"phone\",protocol=\"TLSv1.3\",result=\"ok\"}"))
                .isPositive();
        assertThat(value(metrics, "dialtone_tls_handshakes_total{listener=\"admin\",protocol=\"TLSv1.3\",result=\"ok\"}"))
                .isPositive();
        assertThat(value(metrics, "dialtone_tls_handshakes_total{listener=\"phone\",protocol=\"unknown\",result=\"failed\"}"))
                .as("plain HTTP to the TLS port").isEqualTo(1);
        assertThat(value(metrics, "dialtone_tls_handshakes_total{listener=\"phone\",protocol=\"unknown\",result=\"closed\"}"))
                .as("connected and closed without a word").isEqualTo(1);
    }

    @Test
    void resyncNotifiesDiscoveredDevicesAndReadinessArePublished() {
        assertThat(value(metrics, "dialtone_resync_notifies_total{result=\"accepted\"}")).isEqualTo(1);
        assertThat(value(metrics, "dialtone_resync_notifies_total{result=\"timeout\"}")).isZero();
        assertThat(value(metrics, "dialtone_discovered_devices")).isEqualTo(1);
        assertThat(value(metrics, "dialtone_ready")).isEqualTo(1);
        assertThat(metrics).contains("hikaricp_connections_active{pool=", "jvm_memory_used_bytes{", "jvm_threads_live_threads",
                "process_cpu_usage", "process_files_open_files", "process_uptime_seconds");
    }

    @Test
    void noMacUserOrAccountAppearsInAnySeries() {
        assertThat(metrics.toLowerCase(java.util.Locale.ROOT)).doesNotContain(MAC, UNKNOWN_MAC, "00:15:65:4a:a9",
                "00-15-65-4a-a9", "grace", "hopper", accountId.toLowerCase(java.util.Locale.ROOT), "127.0.0.1");
    }
}
