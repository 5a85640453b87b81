package dialtone;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.testing.HttpsClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first step: the built jar, started from an empty folder with nothing beside it (no config,
 * no templates, no certificates), serves phones. Runs target/dialtone.jar as a child process, after package.
 */
class JarRunsAnywhereIT {

    private static final Pattern PHONE_LISTENER = Pattern.compile("phone listener on https://[^:]+:(\\d+)");

    @Test
    void theJarStartedFromAnEmptyFolderServesAPhoneFileWithItsShippedTemplates(@TempDir Path folder) throws Exception {
        Path jar = Path.of("target/dialtone.jar").toAbsolutePath();
        assertThat(jar).exists();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "serve").directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("DIALTONE_"));
        // Ports chosen by the system, so that the test never collides with anything; nothing else is set.
        builder.environment().put("DIALTONE_PHONE_HOST", "127.0.0.1");
        builder.environment().put("DIALTONE_PHONE_PORT", "0");
        builder.environment().put("DIALTONE_ADMIN_PORT", "0");
        Process server = builder.start();
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.add(line);
                    if (line.contains("Dialtone started")) {
                        started.countDown();
                    }
                }
            } catch (java.io.IOException ended) {
                // the process is gone
            }
            started.countDown();
        });
        reader.start();
        try {
            assertThat(started.await(10, TimeUnit.MINUTES)).isTrue();
            assertThat(log).as(String.join("\n", log)).anyMatch(l -> l.contains("Dialtone started"));
            int port = log.stream().map(PHONE_LISTENER::matcher).filter(Matcher::find).mapToInt(m -> Integer.parseInt(m.group(1)))
                    .findFirst().orElseThrow();

            HttpResponse<String> common = new HttpsClient("https://127.0.0.1:" + port, folder.resolve("certs/server.crt"))
                    .get("/y000000000066.cfg");

            assertThat(common.statusCode()).isEqualTo(200);
            assertThat(common.body()).startsWith("#!version:1.0.0.1");
            String config = folder.toRealPath().resolve("config/dialtone.yaml").toString();
            assertThat(log).anyMatch(l -> l.contains("configuration: " + config + " not found; built-in defaults"));
            assertThat(log).anyMatch(l -> l.contains("serving the templates shipped in the jar"));
            assertThat(log).anyMatch(l -> l.contains("start-up: database (pool and migrations) took"));
            assertThat(folder.resolve("data/operator.token")).exists();
            assertThat(folder.resolve("templates")).doesNotExist();
            assertThat(Files.exists(folder.resolve("data/shipped-templates/yealink-t4x/family.yaml"))).isTrue();
        } finally {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
            reader.join(10_000);
        }
    }
}
