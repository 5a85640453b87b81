package dialtone;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How ReadmeExamplesIT reads the README and what stops its session: markers, order, and a 401. */
class ReadmeScriptTest {

    @Test
    void blocksAreReadWithTheirMarkersAndTheStopServerOnesRunLast() {
        List<ReadmeExamplesIT.Block> blocks = ReadmeExamplesIT.blocks(List.of(
                "# Title", "<!-- readme-test: server -->", "```sh", "serve", "```", "text",
                "<!-- readme-test: skip: needs a PostgreSQL server -->", "", "```sh", "psql", "```",
                "<!-- readme-test: stop-server -->", "```sh", "restore", "```", "```json", "{}", "```",
                "```sh", "echo last", "```"));

        assertThat(blocks).extracting(ReadmeExamplesIT.Block::line).containsExactly(3, 9, 13, 19);
        assertThat(blocks.get(0).server()).isTrue();
        assertThat(blocks.get(1).skipReason()).isEqualTo("needs a PostgreSQL server");
        String script = ReadmeExamplesIT.script(blocks);
        assertThat(script.indexOf("echo last")).isLessThan(script.indexOf("restore"));
        assertThat(script).doesNotContain("psql").contains("skipped the block at README.md line 9: needs a PostgreSQL server");
    }

    @Test
    void anExampleAnswered401StopsTheSessionNamingItsLine(@TempDir Path dir) throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", exchange -> {
            byte[] body = "{\"status\":401}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        try {
            String url = "http://127.0.0.1:" + api.getAddress().getPort() + "/api/v1/accounts";
            List<ReadmeExamplesIT.Block> blocks = ReadmeExamplesIT.blocks(List.of(
                    "```sh", "api() { curl -sS --fail-with-body \"$@\"; echo; }", "```",
                    "```sh", "api " + url, "echo after", "```"));
            Path script = dir.resolve("readme.sh");
            Files.writeString(script, ReadmeExamplesIT.script(blocks));

            Process bash = new ProcessBuilder("bash", script.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(bash.exitValue()).isNotZero();
            assertThat(out).contains("returned error: 401").contains("the block at README.md line 4 failed")
                    .doesNotContain("after").doesNotContain("every block ran");
        } finally {
            api.stop(0);
        }
    }
}
