package dialtone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.HttpsClient;
import dialtone.testing.JarProcess;
import dialtone.testing.SipResponder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar stopped with SIGTERM: ready turns 503, the listeners stop accepting,
 * the request in flight gets its answer, last-seen records are written, and the process exits 0; a bulk import
 * in flight finishes the row in hand and reports the rest as not done, with nothing half written.
 */
class ShutdownIT {

    static final String MAC = "001565aa5001";
    /** Only a safety net: the answer comes as soon as the test lets the phone answer. */
    static final Map<String, String> PATIENT = Map.of("DIALTONE_SERVER_DRAIN_TIMEOUT_MS", "120000",
            "DIALTONE_RESYNC_T1_MS", "2000", "DIALTONE_RESYNC_ALLOWED_NETWORKS", "127.0.0.1/32");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    java.nio.file.Path dir;

    @Test
    void sigtermAnswersTheRequestInFlightStopsAcceptingWritesLastSeenAndExitsZero() throws Exception {
        try (JarProcess dialtone = new JarProcess(dir, PATIENT); HeldPhone phone = new HeldPhone()) {
            AdminClient admin = dialtone.admin();
            String account = admin.createAccount("Stopping");
            String password = admin.createDevice(account, MAC, "yealink-t46s").json().path("provisioning")
                    .path("password").asText();
            assertThat(admin.patch("/accounts/" + account + "/devices/" + MAC,
                    "{\"sipContact\":\"sip:" + MAC + "@127.0.0.1:" + phone.port() + "\"}").status()).isEqualTo(200);
            HttpsClient phones = new HttpsClient("https://127.0.0.1:" + dialtone.phonePort(), dialtone.certificate());
            assertThat(phones.getDigest("/" + MAC + ".cfg", MAC, password).statusCode()).isEqualTo(200);
            CompletableFuture<AdminClient.Reply> resync = CompletableFuture.supplyAsync(() -> call(() ->
                    admin.post("/accounts/" + account + "/devices/" + MAC + "/resync", null)));
            assertThat(phone.notified.await(60, TimeUnit.SECONDS)).as("the NOTIFY reached the phone").isTrue();

            dialtone.sigterm();

            Await.until("ready answers 503", () -> readyStatus(dialtone.managementPort()), status -> status == 503);
            Await.until("the phone listener stops accepting", () -> accepts(dialtone.phonePort()), open -> !open);
            assertThat(accepts(dialtone.adminPort())).as("the admin listener stops accepting").isFalse();
            assertThat(resync).as("the resync still waits for the phone").isNotDone();
            phone.answer();
            AdminClient.Reply answered = resync.get(120, TimeUnit.SECONDS);
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.json().path("status").asInt()).as("the phone's answer").isEqualTo(200);
            assertThat(answered.json().path("timedOut").asBoolean()).isFalse();
            assertThat(dialtone.waitForExit()).as("exit code").isZero();
            assertThat(dialtone.outputLines()).anyMatch(line -> line.contains("SIGTERM: stopping"))
                    .anyMatch(line -> line.contains("Dialtone stopped"))
                    .noneMatch(line -> line.contains(" ERROR ") || line.contains("still in flight"));

            dialtone.start();
            JsonNode device = dialtone.admin().get("/accounts/" + account + "/devices/" + MAC).json();
            assertThat(device.path("lastSeen").path("file").asText()).isEqualTo("/" + MAC + ".cfg");
        }
    }

    @Test
    void sigtermDuringBulkImportFinishesTheRowInFlightAndReportsTheRestNotDone() throws Exception {
        int rows = 2000;
        try (JarProcess dialtone = new JarProcess(dir, PATIENT)) {
            AdminClient admin = dialtone.admin();
            String account = admin.createAccount("Importing");
            String location = admin.createLocation(account, "Europe/Berlin");
            StringBuilder csv = new StringBuilder("firstName,lastName,username,email,extension,locationId,mac,model\n");
            for (int i = 0; i < rows; i++) {
                csv.append("Row,Number,bulk%d,bulk%d@example.com,%d,%s,%s,yealink-t46s\n"
                        .formatted(i, i, 2000 + i, location, mac(i)));
            }
            HttpsClient http = new HttpsClient("https://127.0.0.1:" + dialtone.adminPort(), dialtone.certificate());
            Map<String, String> headers = Map.of("Authorization", "Bearer " + dialtone.operatorToken(),
                    "Content-Type", "text/csv");
            CompletableFuture<HttpResponse<String>> importing = CompletableFuture.supplyAsync(() -> call(() ->
                    http.send("POST", "/api/v1/accounts/" + account + "/users:import", csv.toString(), headers)));
            Await.until("the import is storing rows", () -> admin.get("/accounts/" + account + "/users?limit=1")
                    .json().path("items").size(), stored -> stored > 0);

            dialtone.sigterm();

            HttpResponse<String> answer = importing.get(120, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode report = JSON.readTree(answer.body());
            assertThat(report.path("failed").asInt()).isZero();
            assertThat(report.path("created").asInt()).isPositive();
            assertThat(report.path("notDone").asInt()).as("rows left when the process stopped").isPositive();
            assertThat(report.path("created").asInt() + report.path("notDone").asInt()).isEqualTo(rows);
            Map<String, String> createdMacs = new HashMap<>();
            Set<String> notDone = new HashSet<>();
            for (JsonNode row : report.path("rows")) {
                if (row.path("status").asText().equals("created")) {
                    createdMacs.put(row.path("username").asText(), row.path("mac").asText());
                } else {
                    assertThat(row.path("status").asText()).isEqualTo("not-done");
                    assertThat(row.path("errors").get(0).path("reason").asText()).contains("stopping");
                    notDone.add(row.path("username").asText());
                }
            }
            assertThat(dialtone.waitForExit()).as("exit code").isZero();
            assertThat(dialtone.outputLines()).anyMatch(line -> line.contains("user import into account " + account)
                    && line.contains(report.path("notDone").asInt() + " not done"));

            dialtone.start();
            AdminClient after = dialtone.admin();
            Map<String, String> stored = new HashMap<>();
            for (JsonNode user : all(after, "/accounts/" + account + "/users")) {
                stored.put(user.path("id").asText(), user.path("username").asText());
            }
            assertThat(Set.copyOf(stored.values())).as("exactly the rows reported created")
                    .isEqualTo(createdMacs.keySet()).doesNotContainAnyElementsOf(notDone);
            Map<String, String> boundTo = new HashMap<>();
            for (JsonNode device : all(after, "/accounts/" + account + "/devices")) {
                boundTo.put(device.path("mac").asText(), stored.get(device.path("userId").asText()));
            }
            Map<String, String> expected = new HashMap<>();
            createdMacs.forEach((username, mac) -> expected.put(mac, username));
            assertThat(boundTo).as("every created row's device, bound to its user; none of a row not done")
                    .isEqualTo(expected);
        }
    }

    private static String mac(int i) {
        return "%012x".formatted(0x0015650000L + i);
    }

    /** Every item of a paged admin list. */
    private static java.util.List<JsonNode> all(AdminClient admin, String path) throws Exception {
        java.util.List<JsonNode> items = new java.util.ArrayList<>();
        String next = null;
        do {
            AdminClient.Reply page = admin.get(path + "?limit=200" + (next == null ? "" : "&after=" + next));
            assertThat(page.status()).isEqualTo(200);
            page.json().path("items").forEach(items::add);
            next = page.json().path("next").isTextual() ? page.json().path("next").asText() : null;
        } while (next != null);
        return items;
    }

    private static int readyStatus(int port) throws Exception {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException gone) {
            return -1;
        }
    }

    private static boolean accepts(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    private static <T> T call(Callable<T> request) {
        try {
            return request.call();
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** A phone's SIP stack that notes the NOTIFY at once and answers it (200 OK) only when the test says so. */
    static final class HeldPhone implements AutoCloseable {
        final CountDownLatch notified = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());

        HeldPhone() throws IOException {
            Thread thread = new Thread(this::run, "held-phone");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        void answer() {
            release.countDown();
        }

        private void run() {
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
                    socket.receive(packet);
                    notified.countDown();
                    release.await();
                    byte[] ok = SipResponder.ok(new String(packet.getData(), 0, packet.getLength(),
                            StandardCharsets.UTF_8));
                    socket.send(new DatagramPacket(ok, ok.length, packet.getSocketAddress()));
                }
            } catch (IOException | InterruptedException closed) {
                // the test is over
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
