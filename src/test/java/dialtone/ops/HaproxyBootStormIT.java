package dialtone.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dialtone.testing.AdminClient;
import dialtone.testing.JarProcess;
import dialtone.testing.RawHttps;
import dialtone.testing.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code contrib/haproxy/haproxy.cfg} (its addresses and ports replaced, nothing else) in front of
 * two real jars on one PostgreSQL. Phones fetch their own files through the balancer, each on a new connection,
 * as they do when a whole site boots; one instance is killed with SIGKILL in the middle. Only requests that were
 * in flight at that moment may fail, and only as a broken connection; every request made after the kill is
 * answered by the survivor.
 */
class HaproxyBootStormIT {

    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    static final Path SHIPPED = Path.of("contrib", "haproxy", "haproxy.cfg");
    static final int PHONES = 12;
    /** Successful fetches per phone before the kill, and again after it. */
    static final int FETCHES = 10;

    @TempDir
    Path dir;

    /** One fetch: when it began relative to the kill, and how it ended. */
    record Fetch(int phase, int status, boolean connectionLost, String how) {}

    @Test
    void aKilledInstanceCostsOnlyTheRequestsInFlightOnItAndTheSurvivorAnswersTheRest() throws Exception {
        if (!"true".equals(System.getenv("CI"))) {
            assumeThat(HAPROXY).as("haproxy (Debian package haproxy, installed by .ci/run) is not installed here:"
                    + " skipping the load-balanced boot storm").exists();
            assumeThat(TestPostgres.configured()).as(TestPostgres.URL_VARIABLE + " is not set: skipping the"
                    + " load-balanced boot storm (two instances need PostgreSQL)").isTrue();
        }
        assertThat(HAPROXY).as("CI must have haproxy").exists();
        try (TestPostgres postgres = TestPostgres.create(); Instances instances = new Instances(dir, postgres)) {
            JarProcess first = instances.first;
            JarProcess second = instances.second;
            AdminClient admin = first.admin();
            String account = admin.createAccount("Storm");
            String location = admin.createLocation(account, "UTC");
            List<String[]> phones = new ArrayList<>();
            for (int i = 0; i < PHONES; i++) {
                String mac = "805ec0ee%04x".formatted(i);
                String user = admin.createUser(account, location, "storm" + i, Integer.toString(200 + i)).get("id");
                String password = admin.createDevice(account, mac, "yealink-t46s").json().path("provisioning")
                        .path("password").asText();
                admin.bind(account, mac, user);
                phones.add(new String[] {mac, password});
            }

            Path config = dir.resolve("haproxy.cfg");
            int balancerPort = freePort();
            Files.writeString(config, forTest(Files.readString(SHIPPED), balancerPort, first, second, dir));
            Process check = new ProcessBuilder(HAPROXY.toString(), "-c", "-f", config.toString())
                    .redirectErrorStream(true).start();
            String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor()).as("haproxy -c on the shipped configuration:\n" + checked).isZero();
            List<String> command = new ArrayList<>(List.of(HAPROXY.toString(), "-db", "-f", config.toString()));
            Matcher maxconn = Pattern.compile("(?m)^\\s*maxconn\\s+(\\d+)").matcher(Files.readString(SHIPPED));
            long files = openFilesLimit();
            if (maxconn.find() && files < 2 * Long.parseLong(maxconn.group(1)) + 100) {
                // HAProxy needs two descriptors per connection and refuses to start when it cannot raise its limit
                // that far (containers): the shipped maxconn is capped to what this machine allows (-n).
                command.addAll(List.of("-n", Long.toString((files - 100) / 2)));
            }
            instances.haproxy = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            Path stats = dir.resolve("haproxy.sock");
            awaitStatus(stats, Map.of("dialtone1", "UP", "dialtone2", "UP"), instances.haproxy, dir);

            AtomicInteger phase = new AtomicInteger();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger startedWhileKilling = new AtomicInteger();
            CountDownLatch warmedUp = new CountDownLatch(PHONES * FETCHES);
            CountDownLatch servedAfter = new CountDownLatch(PHONES * FETCHES);
            CountDownLatch servedAfterDown = new CountDownLatch(PHONES * FETCHES);
            ConcurrentLinkedQueue<Fetch> fetches = new ConcurrentLinkedQueue<>();
            AtomicInteger stop = new AtomicInteger();
            ExecutorService storm = Executors.newFixedThreadPool(PHONES);
            List<Future<?>> running = new ArrayList<>();
            for (String[] phone : phones) {
                running.add(storm.submit(() -> {
                    while (stop.get() == 0) {
                        // Counted in flight before the phase is read: one begun before the kill is in the count.
                        inFlight.incrementAndGet();
                        int began = phase.get();
                        if (began == 1) {
                            startedWhileKilling.incrementAndGet();
                        }
                        Fetch fetch;
                        try {
                            fetch = fetch(first.certificate(), balancerPort, phone[0], phone[1], began);
                        } finally {
                            inFlight.decrementAndGet();
                        }
                        fetches.add(fetch);
                        if (fetch.status() == 200) {
                            (began == 3 ? servedAfterDown : began == 2 ? servedAfter : warmedUp).countDown();
                        }
                    }
                    return null;
                }));
            }
            int inFlightAtKill;
            try {
                assertThat(warmedUp.await(120, TimeUnit.SECONDS)).as("phones served through the balancer").isTrue();
                Map<String, Long> sessions = sessions(stats);
                assertThat(sessions).as("both instances served phones before the kill")
                        .allSatisfy((server, count) -> assertThat(count).isPositive());
                phase.set(1);
                inFlightAtKill = inFlight.get();
                first.kill();
                phase.set(2);
                assertThat(servedAfter.await(120, TimeUnit.SECONDS)).as("phones served after the kill").isTrue();
                awaitStatus(stats, Map.of("dialtone1", "DOWN", "dialtone2", "UP"), instances.haproxy, dir);
                phase.set(3);
                assertThat(servedAfterDown.await(120, TimeUnit.SECONDS)).as("phones served once it is marked down").isTrue();
            } finally {
                stop.set(1);
                storm.shutdown();
            }
            for (Future<?> phone : running) {
                phone.get();
            }

            List<Fetch> all = List.copyOf(fetches);
            List<Fetch> answeredOtherwise = all.stream().filter(f -> !f.connectionLost() && f.status() != 200).toList();
            assertThat(answeredOtherwise).as("fetches answered with anything but 200").isEmpty();
            long lost = all.stream().filter(Fetch::connectionLost).count();
            long lostBeforeKill = all.stream().filter(f -> f.phase() == 0 && f.connectionLost()).count();
            long lostAfterKill = all.stream().filter(f -> f.phase() == 2 && f.connectionLost()).count();
            long servedAfterKill = all.stream().filter(f -> f.phase() >= 2 && f.status() == 200).count();
            System.out.printf("boot storm: %d phones, %d fetches; %d in flight when the kill began, %d begun while the"
                    + " process died; lost: %d in flight, %d begun while it died, %d after; %d served after the kill%n",
                    PHONES, all.size(), inFlightAtKill, startedWhileKilling.get(), lostBeforeKill,
                    lost - lostBeforeKill - lostAfterKill, lostAfterKill, servedAfterKill);
            // Until its health check marks the dead instance down, HAProxy may still hand a new connection to it
            // (one whose backend connect succeeded as the process died): at most one such fetch per phone. Once it
            // is marked down, nothing is lost.
            assertThat(lostAfterKill).as("fetches begun while the instance was dead but not yet marked down that"
                    + " were lost").isLessThanOrEqualTo(PHONES);
            assertThat(all.stream().filter(f -> f.phase() == 3 && f.connectionLost()).map(Fetch::how))
                    .as("fetches begun after HAProxy marked the instance down that were lost; HAProxy's log:\n"
                            + Files.readString(dir.resolve("haproxy.log"))).isEmpty();
            assertThat(lostBeforeKill).as("fetches begun before the kill that were lost: at most those in flight")
                    .isLessThanOrEqualTo(inFlightAtKill).isLessThanOrEqualTo(PHONES);
            assertThat(second.process().isAlive()).isTrue();
        }
    }

    /** One phone's fetch of its own file on a new TLS connection through the balancer. */
    private static Fetch fetch(Path certificate, int port, String mac, String password, int phase) {
        String credentials = Base64.getEncoder().encodeToString((mac + ":" + password).getBytes(StandardCharsets.UTF_8));
        byte[] request = ("GET /" + mac + ".cfg HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + credentials
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        String answer;
        try (SSLSocket socket = RawHttps.connect(certificate, port)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            answer = RawHttps.readAll(socket.getInputStream());
        } catch (Exception e) {
            return new Fetch(phase, -1, true, e.toString());
        }
        int status = RawHttps.status(answer);
        if (status < 0 || !complete(answer)) {
            // Nothing, or a head or body cut off: the connection was lost, nothing was answered.
            return new Fetch(phase, status, true, "cut off after " + answer.length() + " characters");
        }
        if (status == 200 && !answer.contains("account.1.display_name = Ada Lovelace")) {
            throw new AssertionError("a phone was served someone else's file:\n" + answer);
        }
        return new Fetch(phase, status, false, "answered");
    }

    /** Whether the answer's body is as long as its Content-Length says (ISO-8859-1: one char per byte). */
    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        Matcher length = Pattern.compile("(?i)\r\ncontent-length:\\s*(\\d+)").matcher(answer);
        return end > 0 && length.find() && length.start() < end
                && answer.length() - (end + 4) == Integer.parseInt(length.group(1));
    }

    /**
     * The shipped configuration with its listening address, its two servers' addresses and their health-check
     * ports replaced by this test's, plus a stats socket for the test to read; every option stays as shipped.
     */
    static String forTest(String shipped, int balancerPort, JarProcess first, JarProcess second, Path dir) {
        Pattern bind = Pattern.compile("(?m)^(\\s*bind\\s+)\\S*:8443\\b");
        Pattern server = Pattern.compile("(?m)^(\\s*server\\s+dialtone([12])\\s+)\\S+(\\s+check\\s+port\\s+)\\d+");
        assertThat(bind.matcher(shipped).results().count()).as("one phone frontend in " + SHIPPED).isEqualTo(1);
        assertThat(server.matcher(shipped).results().count()).as("two servers in " + SHIPPED).isEqualTo(2);
        String text = bind.matcher(shipped).replaceAll("$1127.0.0.1:" + balancerPort);
        Matcher m = server.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JarProcess instance = m.group(2).equals("1") ? first : second;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "127.0.0.1:" + instance.phonePort()
                    + m.group(3) + instance.managementPort()));
        }
        m.appendTail(out);
        return out.toString().replaceFirst("(?m)^global\\s*$",
                Matcher.quoteReplacement("global\n    stats socket " + dir.resolve("haproxy.sock") + " level admin"
                        + "\n    log stdout format raw local0 info"))
                .replaceFirst("(?m)^defaults\\s*$", "defaults\n    log global\n    option tcplog");
    }

    /** Reads HAProxy's own view of the servers until each named one has the given status. */
    private static void awaitStatus(Path socket, Map<String, String> wanted, Process haproxy, Path dir)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, String> seen = Map.of();
        while (System.nanoTime() < deadline) {
            if (!haproxy.isAlive()) {
                throw new AssertionError("haproxy stopped:\n" + Files.readString(dir.resolve("haproxy.log")));
            }
            if (Files.exists(socket)) {
                seen = column(socket, "status");
                if (seen.entrySet().containsAll(wanted.entrySet())) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("haproxy never saw " + wanted + "; last: " + seen);
    }

    /** Sessions each server has had, from HAProxy's statistics. */
    private static Map<String, Long> sessions(Path socket) throws IOException {
        Map<String, Long> sessions = new HashMap<>();
        column(socket, "stot").forEach((server, value) -> sessions.put(server, Long.parseLong(value)));
        return sessions;
    }

    /** One column of {@code show stat} for the servers of the phones' backend. */
    private static Map<String, String> column(Path socket, String name) throws IOException {
        String csv;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer) >= 0 && buffer.hasRemaining()) {
                // until HAProxy closes the connection
            }
            csv = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
        }
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
        int proxy = header.indexOf("pxname");
        int server = header.indexOf("svname");
        int column = header.indexOf(name);
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            if (cells.length > column && "dialtone_phones".equals(cells[proxy]) && cells[server].startsWith("dialtone")) {
                values.put(cells[server], cells[column]);
            }
        }
        return values;
    }

    /** The hard limit on open files that HAProxy, started from here, may raise itself to. */
    private static long openFilesLimit() throws Exception {
        Process ulimit = new ProcessBuilder("sh", "-c", "ulimit -Hn").redirectErrorStream(true).start();
        String limit = new String(ulimit.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(ulimit.waitFor()).isZero();
        return "unlimited".equals(limit) ? Long.MAX_VALUE : Long.parseLong(limit);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Two jars on one database with one secret key and one certificate, as behind a balancer; HAProxy once started. */
    static final class Instances implements AutoCloseable {

        final JarProcess first;
        final JarProcess second;
        Process haproxy;

        Instances(Path dir, TestPostgres postgres) throws Exception {
            Map<String, String> overrides = new HashMap<>(postgres.overrides());
            first = new JarProcess(dir.resolve("first"), overrides);
            JarProcess started = null;
            try {
                Files.createDirectories(dir.resolve("second/data"));
                Files.copy(first.dataDir().resolve("secret.key"), dir.resolve("second/data/secret.key"));
                overrides.put("DIALTONE_TLS_CERT", first.certificate().toString());
                overrides.put("DIALTONE_TLS_KEY", dir.resolve("first/certs/server.key").toString());
                started = new JarProcess(dir.resolve("second"), overrides);
            } finally {
                if (started == null) {
                    first.close();
                }
            }
            second = started;
        }

        @Override
        public void close() throws InterruptedException {
            if (haproxy != null) {
                haproxy.destroy();
                if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                    haproxy.destroyForcibly().waitFor();
                }
            }
            second.close();
            first.close();
        }
    }
}
