package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.Await;
import dialtone.testing.RawHttps;
import dialtone.testing.TestDialtone;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies are judged from the request head, before they are read: a route that takes no body (every phone
 * GET, every admin route but uploads) refuses a declared body at once, uploads reserve their size in the
 * listener's body budget, and one source cannot hold more than its share of connections. Memory held for
 * bodies is bounded whatever slow uploaders do; the assertions count answers, never time.
 */
class BodyAndConnectionAttacksTest {

    static final int UPLOAD = 2 * 1024 * 1024;
    static final String UPLOAD_PATH = "/0004f2aa0001-app.log";

    private static byte[] head(String method, String path, long length) {
        return (method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends only the head and reads the answer the server gives without having seen a byte of the body. */
    private static String headOnly(TestDialtone server, int port, String method, String path, long length) throws Exception {
        try (SSLSocket socket = RawHttps.connect(server.certificate(), port)) {
            socket.getOutputStream().write(head(method, path, length));
            socket.getOutputStream().flush();
            return RawHttps.readAll(socket.getInputStream());
        }
    }

    @Test
    void aDeclaredBodyTheRouteDoesNotTakeIsRefusedBeforeItIsSent(@TempDir Path dir) throws Exception {
        try (TestDialtone server = new TestDialtone(dir)) {
            String phoneGet = headOnly(server, server.phonePort(), "GET", "/y000000000066.cfg", 10);
            String phoneUpload = headOnly(server, server.phonePort(), "PUT", UPLOAD_PATH, 256 * 1024 + 1);
            String phoneOther = headOnly(server, server.phonePort(), "PUT", "/y000000000066.cfg", 1000);
            String adminRoute = headOnly(server, server.adminPort(), "POST", "/api/v1/accounts", 1024 * 1024 + 1);
            String adminUpload = headOnly(server, server.adminPort(), "POST", "/api/v1/accounts/a/users:import",
                    8 * 1024 * 1024 + 1);

            assertThat(RawHttps.status(phoneGet)).isEqualTo(413);
            assertThat(phoneGet).contains("the request body exceeds 0 bytes");
            assertThat(RawHttps.status(phoneUpload)).isEqualTo(413);
            assertThat(phoneUpload).contains("the request body exceeds 262144 bytes");
            assertThat(RawHttps.status(phoneOther)).isEqualTo(413);
            assertThat(RawHttps.status(adminRoute)).isEqualTo(413);
            assertThat(adminRoute).contains("the request body exceeds 1048576 bytes").doesNotContain("WWW-Authenticate");
            assertThat(RawHttps.status(adminUpload)).isEqualTo(413);
            assertThat(adminUpload).contains("the request body exceeds 8388608 bytes");
        }
    }

    @Test
    void slowUploadersCannotMakeTheServerHoldMoreThanItsBodyBudget(@TempDir Path dir) throws Exception {
        int budget = 3 * UPLOAD;
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_SERVER_MAX_BODY_BYTES", "" + UPLOAD,
                "DIALTONE_UPLOADS_MAX_FILE_BYTES", "" + UPLOAD, "DIALTONE_SERVER_MAX_UPLOAD_BYTES", "" + budget,
                "DIALTONE_SERVER_BODY_MEMORY_BYTES", "" + budget, "DIALTONE_SERVER_REQUEST_TIMEOUT_MS", "120000"))) {
            List<SSLSocket> uploaders = new ArrayList<>();
            List<CompletableFuture<String>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    SSLSocket socket = RawHttps.connect(server.certificate(), server.phonePort());
                    socket.setSoTimeout(120_000);
                    uploaders.add(socket);
                    socket.getOutputStream().write(head("PUT", UPLOAD_PATH, UPLOAD));
                    socket.getOutputStream().write(new byte[1024]);
                    socket.getOutputStream().flush();
                    answers.add(CompletableFuture.supplyAsync(() -> read(socket)));
                }

                // Five uploads of 2 MiB arrive slowly; the budget holds three: two are refused at their head.
                Await.until("two refusals", () -> answers.stream().filter(CompletableFuture::isDone).count(), n -> n >= 2);
                List<Integer> refused = new ArrayList<>();
                for (int i = 0; i < answers.size(); i++) {
                    if (answers.get(i).isDone()) {
                        String answer = answers.get(i).get();
                        assertThat(RawHttps.status(answer)).isEqualTo(503);
                        assertThat(answer).contains("Retry-After: 5");
                        refused.add(i);
                    }
                }
                assertThat(refused).hasSize(2);
                assertThat(server.phone().get("/y000000000066.cfg").statusCode()).as("a GET takes no budget").isEqualTo(200);

                for (int i = 0; i < uploaders.size(); i++) {
                    if (!refused.contains(i)) {
                        finish(uploaders.get(i), UPLOAD - 1024);
                    }
                }
                for (int i = 0; i < answers.size(); i++) {
                    if (!refused.contains(i)) {
                        assertThat(RawHttps.status(answers.get(i).get(60, TimeUnit.SECONDS)))
                                .as("an admitted upload is judged as usual: unknown device").isEqualTo(401);
                    }
                }
            } finally {
                for (Socket s : uploaders) {
                    s.close();
                }
            }
            String again = headOnly(server, server.phonePort(), "PUT", UPLOAD_PATH, UPLOAD + 1);
            assertThat(RawHttps.status(again)).as("over the route's limit, whatever the budget").isEqualTo(413);
        }
    }

    @Test
    void connectionsBeyondThePerAddressCapAreClosedAndTheSlotComesBack(@TempDir Path dir) throws Exception {
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_SERVER_MAX_CONNECTIONS_PER_ADDRESS", "4"))) {
            List<SSLSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(RawHttps.connect(server.certificate(), server.phonePort()));
                }

                assertThat(handshakeSucceeds(server)).as("a fifth connection from the same address").isFalse();

                held.remove(0).close();
                Await.until("a slot is free again", () -> handshakeSucceeds(server), ok -> ok);
                assertThat(RawHttps.get(server.certificate(), server.adminPort(), "/api/v1/accounts"))
                        .as("another listener counts its own connections").startsWith("HTTP/1.1 401");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private static boolean handshakeSucceeds(TestDialtone server) {
        try (SSLSocket socket = RawHttps.connect(server.certificate(), server.phonePort())) {
            return true;
        } catch (Exception closed) {
            return false;
        }
    }

    private static void finish(SSLSocket socket, int bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[bytes]);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(SSLSocket socket) {
        try {
            return RawHttps.readAll(socket.getInputStream());
        } catch (IOException e) {
            return "";
        }
    }
}
