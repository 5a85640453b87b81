package dialtone.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code target/dialtone.jar} running {@code serve} as a child process on ports 0, with its own data
 * directory and certificate under {@code dir}. Its output is collected; the ports are read from its
 * "Dialtone started" line. {@link #kill()} is SIGKILL (on Linux), {@link #terminate()} SIGTERM.
 */
public final class JarProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "dialtone.jar");
    private static final Pattern STARTED = Pattern.compile(
            "Dialtone started: phones on port (\\d+), admin API on port (\\d+)(?:, management on port (\\d+))?");
    /** Only a safety net against a child that hangs; a healthy start takes a few seconds. */
    private static final long START_LIMIT_SECONDS = 180;

    private final Path dir;
    private final Map<String, String> env;
    private Process process;
    private Thread pump;
    private final List<String> output = new ArrayList<>();
    private int phonePort = -1;
    private int adminPort = -1;
    private int managementPort = -1;

    /** Starts the jar; {@code overrides} are DIALTONE_* environment variables on top of the test defaults. */
    public JarProcess(Path dir, Map<String, String> overrides) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: these tests run after `mvn package`"
                    + " (they are bound to the integration-test phase of `mvn verify`)");
        }
        this.dir = dir;
        this.env = TestEnvironment.under(dir);
        env.put("DIALTONE_SMTP_FROM", "dialtone@test.example");
        env.put("DIALTONE_PHONE_PUBLIC_URL", "https://prov.test.example");
        env.putAll(overrides);
        start();
    }

    /** Starts the process again on the same data directory and configuration. */
    public void start() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("still running");
        }
        synchronized (output) {
            output.clear();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                JAR.toString(), "serve", "--config", "config/dialtone.yaml").redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("DIALTONE_"));
        builder.environment().putAll(env);
        process = builder.start();
        CountDownLatch startedOrGone = new CountDownLatch(1);
        Process current = process;
        pump = new Thread(() -> pump(current, startedOrGone), "jar-output");
        pump.setDaemon(true);
        pump.start();
        if (!startedOrGone.await(START_LIMIT_SECONDS, TimeUnit.SECONDS) || adminPort < 0) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("dialtone.jar did not start:\n" + output());
        }
    }

    private void pump(Process child, CountDownLatch startedOrGone) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher m = STARTED.matcher(line);
                if (m.find()) {
                    phonePort = Integer.parseInt(m.group(1));
                    adminPort = Integer.parseInt(m.group(2));
                    managementPort = m.group(3) == null ? -1 : Integer.parseInt(m.group(3));
                    startedOrGone.countDown();
                }
            }
        } catch (IOException e) {
            // The child is gone; what it said is kept.
        } finally {
            startedOrGone.countDown();
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. Returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM; returns the exit code once the process has ended. */
    public int terminate() throws InterruptedException {
        sigterm();
        return waitForExit();
    }

    /**
     * Sends SIGTERM and returns at once. Through the process handle: {@link Process#destroy()} also closes this
     * side's pipes, so whatever the process says while it stops would be lost.
     */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /** Waits until the process has ended and everything it wrote has been read; returns its exit code. */
    public int waitForExit() throws InterruptedException {
        int code = process.waitFor();
        pump.join();
        return code;
    }

    public Process process() {
        return process;
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    public List<String> outputLines() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path certificate() {
        return dir.resolve("certs/server.crt");
    }

    public int phonePort() {
        return phonePort;
    }

    public int adminPort() {
        return adminPort;
    }

    public int managementPort() {
        return managementPort;
    }

    public String operatorToken() throws IOException {
        return Files.readString(dataDir().resolve("operator.token")).trim();
    }

    public AdminClient admin() throws Exception {
        return new AdminClient(new HttpsClient("https://127.0.0.1:" + adminPort, certificate()), operatorToken());
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
