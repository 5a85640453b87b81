package dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.RawHttps;
import dialtone.testing.TestDialtone;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Pipelined requests on one connection: answered in order, and a client that piles them up is cut off. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipeliningTest {

    TestDialtone server;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = new TestDialtone(dir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static String get(String target, boolean close) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        // A device file (database, proof) first, then a common file that would be ready sooner.
        String pipelined = get("/0015654aa937.cfg", false) + get("/y000000000066.cfg", false)
                + get("/no-such-file.cfg", true);

        String answers = RawHttps.exchange(server.certificate(), server.phonePort(),
                pipelined.getBytes(StandardCharsets.ISO_8859_1));

        Matcher statusLines = Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(answers);
        StringBuilder order = new StringBuilder();
        while (statusLines.find()) {
            order.append(statusLines.group(1)).append(' ');
        }
        assertThat(order.toString().trim()).isEqualTo("401 200 404");
    }

    @Test
    void aClientPilingUpRequestsIsCutOff() throws Exception {
        try (SSLSocket socket = RawHttps.connect(server.certificate(), server.phonePort())) {
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                flood.append(get("/00156500" + String.format("%04x", i) + ".cfg", false));
            }
            socket.getOutputStream().write(flood.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();

            String answers = RawHttps.readAll(socket.getInputStream());

            int answered = answers.split("HTTP/1\\.1 ", -1).length - 1;
            assertThat(answered).isLessThanOrEqualTo(1 + DispatchHandler.MAX_PIPELINED);
        }
    }
}
