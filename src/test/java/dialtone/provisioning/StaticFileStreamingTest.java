package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.Await;
import dialtone.testing.FailOnNettyLeak;
import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.RawHttps;
import dialtone.testing.TestDialtone;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A big static file (firmware) from a real server over TLS: streamed byte for byte, sliced by Range, described
 * by HEAD, and released (file handle, buffers) when the phone goes away or stops reading mid-download.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticFileStreamingTest {

    private static final int SIZE = 20 * 1024 * 1024;
    Path dir;
    Path override;
    Path firmware;
    byte[] bytes;
    TestDialtone server;
    HttpsClient http;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("dialtone-firmware");
        override = dir.resolve("override");
        Files.createDirectories(override.resolve("polycom/files"));
        bytes = new byte[SIZE];
        new java.util.Random(42).nextBytes(bytes);
        firmware = override.resolve("polycom/files/firmware.ld");
        Files.write(firmware, bytes);
        firmware = firmware.toRealPath();
        server = new TestDialtone(dir, Map.of("DIALTONE_TEMPLATES_OVERRIDE_DIR", override.toString()));
        http = server.phone();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** The descriptors this process holds open on the firmware file. */
    private long openHandlesOnFirmware() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(firmware);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    private static SSLSocket startDownload(TestDialtone server) throws Exception {
        SSLSocket socket = RawHttps.connect(server.certificate(), server.phonePort());
        socket.getOutputStream().write("GET /firmware.ld HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads the head and about a megabyte of the body: the download is under way. */
    private static void readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (total < 1024 * 1024) {
            int n = in.read(buffer);
            assertThat(n).as("the download goes on").isPositive();
            if (total == 0) {
                assertThat(new String(buffer, 0, Math.min(n, 12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
            }
            total += n;
        }
    }

    @Test
    void aTwentyMegabyteFirmwareDownloadsByteForByteOverTls() throws Exception {
        HttpResponse<byte[]> whole = http.sendBytes("GET", "/firmware.ld", null, Map.of());

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Length")).hasValue(Integer.toString(SIZE));
        assertThat(Arrays.equals(whole.body(), bytes)).as("the same 20 MB").isTrue();
        assertThat(http.sendBytes("GET", "/firmware.ld", null, Map.of()).body().length)
                .as("a second download on the kept connection").isEqualTo(SIZE);
    }

    @Test
    void aFileRewrittenOrRemovedRightAfterItWasServedIsServedAsItNowIs() throws Exception {
        Path note = override.resolve("polycom/files/boot-note.txt");
        try (LogCapture logs = new LogCapture()) {
            Files.writeString(note, "first");
            assertThat(http.get("/boot-note.txt").body()).isEqualTo("first");
            // Found a moment ago: now answered on the event loop from what was found, the file itself read afresh.
            assertThat(http.get("/boot-note.txt").body()).isEqualTo("first");

            Files.writeString(note, "second, longer");
            assertThat(http.get("/boot-note.txt").body()).isEqualTo("second, longer");

            // The event loop's attempt fails on the missing file; the worker looks again and answers.
            Files.delete(note);
            assertThat(http.get("/boot-note.txt").statusCode()).isEqualTo(404);

            Files.writeString(note, "back");
            HttpResponse<String> back = http.get("/boot-note.txt");
            assertThat(back.statusCode()).isEqualTo(200);
            assertThat(back.body()).isEqualTo("back");

            // Exactly one access line per request, whichever thread answered it.
            assertThat(logs.lines().stream().filter(l -> l.contains(" path=/boot-note.txt "))
                    .map(l -> l.replaceAll(".* status=(\\d+) .*", "$1")).toList())
                    .containsExactly("200", "200", "200", "404", "200");
        }
    }

    @Test
    void aRangeGetsExactlyItsSlice() throws Exception {
        HttpResponse<byte[]> range = http.sendBytes("GET", "/firmware.ld", null, Map.of("Range", "bytes=1000000-3999999"));

        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 1000000-3999999/" + SIZE);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 1_000_000, 4_000_000));
        HttpResponse<byte[]> tail = http.sendBytes("GET", "/firmware.ld", null, Map.of("Range", "bytes=-5"));
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(bytes, SIZE - 5, SIZE));
    }

    @Test
    void streamedAnswersAreMeteredByTheirStatus() throws Exception {
        http.sendBytes("GET", "/firmware.ld", null, Map.of("Range", "bytes=7-8"));

        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.managementPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics)
                .containsPattern("dialtone_requests_seconds_count\\{listener=\"phone\",status=\"206\"} [1-9]");
    }

    @Test
    void headGetsTheHeadersOnly() throws Exception {
        HttpResponse<byte[]> head = http.sendBytes("HEAD", "/firmware.ld", null, Map.of());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(SIZE));
        assertThat(head.headers().firstValue("ETag")).isPresent();
        assertThat(head.body()).isEmpty();
        assertThat(http.sendBytes("GET", "/firmware.ld", null, Map.of("Range", "bytes=0-9")).body())
                .as("the connection after HEAD").isEqualTo(Arrays.copyOf(bytes, 10));
    }

    @Test
    void aPhoneLeavingMidDownloadLeavesNoOpenFileAndNoLeak() throws Exception {
        long before = openHandlesOnFirmware();
        SSLSocket socket = startDownload(server);
        readSome(socket.getInputStream());
        assertThat(openHandlesOnFirmware()).as("open while streaming").isEqualTo(before + 1);

        socket.close();

        Await.until("the firmware's file handle to be closed", this::openHandlesOnFirmware, n -> n == before);
        assertThat(FailOnNettyLeak.collectReports()).isEmpty();
        assertThat(http.sendBytes("GET", "/firmware.ld", null, Map.of("Range", "bytes=5-9")).body())
                .isEqualTo(Arrays.copyOfRange(bytes, 5, 10));
    }

    @Test
    void aPhoneThatStopsReadingIsCutOffAtTheRequestDeadlineAndItsFileClosed() throws Exception {
        try (TestDialtone strict = new TestDialtone(Files.createTempDirectory(dir, "strict"),
                Map.of("DIALTONE_TEMPLATES_OVERRIDE_DIR", override.toString(), "DIALTONE_SERVER_REQUEST_TIMEOUT_MS", "3000"))) {
            long before = openHandlesOnFirmware();
            SSLSocket socket = startDownload(strict);
            readSome(socket.getInputStream());
            assertThat(openHandlesOnFirmware()).isEqualTo(before + 1);

            // The phone holds the connection but reads no more: the server gives up after the deadline.
            Await.until("the stalled download's file handle to be closed", this::openHandlesOnFirmware, n -> n == before);
            socket.close();
        }
        assertThat(FailOnNettyLeak.collectReports()).isEmpty();
    }
}
