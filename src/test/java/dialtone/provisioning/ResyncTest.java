package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.TestDialtone;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** SIP NOTIFY resync against a real SIP peer (sipp), a silent peer, and a paced account-wide resync. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResyncTest {

    static final int T1 = 50;
    static final int PER_SECOND = 20;
    TestDialtone server;
    AdminClient admin;
    String accountId;
    Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        server = new TestDialtone(dir, Map.of("DIALTONE_RESYNC_T1_MS", Integer.toString(T1),
                "DIALTONE_RESYNC_PER_SECOND", Integer.toString(PER_SECOND)));
        admin = server.admin();
        accountId = admin.createAccount("Acme");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String deviceWithContact(String mac, String contact) throws Exception {
        admin.createDevice(accountId, mac, "yealink-t46s");
        AdminClient.Reply reply = admin.patch("/accounts/" + accountId + "/devices/" + mac,
                "{\"sipContact\":\"" + contact + "\"}");
        assertThat(reply.status()).isEqualTo(200);
        return mac;
    }

    /** A sipp process and the UDP port it listens on. */
    private record SippPeer(Process process, int port) {}

    /**
     * Starts sipp on a free UDP port and returns once it holds that port. Should another process take the
     * port first, sipp exits and another port is tried.
     */
    private SippPeer startSipp(Path scenario, Path messages) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freeUdpPort();
            Process sipp = new ProcessBuilder("sipp", "-sf", scenario.toString(), "-i", "127.0.0.1", "-p",
                    Integer.toString(port), "-m", "1", "-nostdin", "-trace_msg", "-message_file", messages.toString())
                    .redirectOutput(dir.resolve("sipp.out").toFile()).redirectErrorStream(true).start();
            Await.until("sipp holding UDP port " + port + " or exiting",
                    () -> !sipp.isAlive() || udpPortTaken(port), done -> done);
            if (sipp.isAlive()) {
                return new SippPeer(sipp, port);
            }
        }
        throw new AssertionError("sipp could not bind a UDP port; see " + dir.resolve("sipp.out"));
    }

    private static boolean udpPortTaken(int port) {
        try (DatagramSocket probe = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            return false;
        } catch (java.net.SocketException taken) {
            return true;
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    void realPhoneAnswering200GetsAWellFormedNotify() throws Exception {
        assumeThat(Path.of("/usr/bin/sipp")).as("sipp (Debian sip-tester) is installed by .ci/run").exists();
        Path scenario = Path.of("src/test/resources/sipp/notify_uas.xml").toAbsolutePath();
        Path messages = dir.resolve("sipp-messages.log");
        SippPeer peer = startSipp(scenario, messages);
        int port = peer.port();
        Process sipp = peer.process();
        try {
            String mac = deviceWithContact("001565aa0001", "sip:ada@127.0.0.1:" + port);

            AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/devices/" + mac + "/resync", null);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("status").asInt()).isEqualTo(200);
            assertThat(reply.json().path("timedOut").asBoolean()).isFalse();
            assertThat(sipp.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(messages);
            String notify = log.substring(log.indexOf("NOTIFY "));
            List<String> lines = notify.lines().toList();
            assertThat(lines.get(0)).isEqualTo("NOTIFY sip:ada@127.0.0.1:" + port + " SIP/2.0");
            assertThat(lines).contains("Event: check-sync;reboot=false", "To: <sip:ada@127.0.0.1>", "CSeq: 1 NOTIFY",
                    "Subscription-State: terminated", "Content-Length: 0");
            assertThat(lines).anyMatch(l -> l.matches("Call-ID: [0-9a-f]{16}@dialtone"));
            assertThat(lines).anyMatch(l -> l.matches("Via: SIP/2.0/UDP 127\\.0\\.0\\.1:\\d+;branch=z9hG4bK[0-9a-f]+;rport"));
        } finally {
            sipp.destroyForcibly();
        }
    }

    @Test
    void silentPeerGetsTheRetransmissionScheduleAndATimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String mac = deviceWithContact("001565aa0002", "sip:bob@127.0.0.1:" + silent.getLocalPort());

            AdminClient.Reply reply = admin.post("/accounts/" + accountId + "/devices/" + mac + "/resync", null);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("timedOut").asBoolean()).isTrue();
            int transmissions = reply.json().path("transmissions").asInt();
            // T1 = 50 ms doubling to T2 = 400 ms until Timer F = 3.2 s: sent at 0, 50, 150, 350, 750, 1150, ... 3150.
            assertThat(transmissions).isBetween(8, 11);
            List<String> received = drain(silent);
            assertThat(received).hasSize(transmissions);
            assertThat(received.stream().distinct()).hasSize(1);
        }
    }

    @Test
    void accountResyncIsPaced() throws Exception {
        String account = admin.createAccount("Paced");
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int devices = 6;
            for (int i = 0; i < devices; i++) {
                String mac = "001565bb000" + i;
                admin.createDevice(account, mac, "yealink-t46s");
                admin.patch("/accounts/" + account + "/devices/" + mac,
                        "{\"sipContact\":\"sip:u" + i + "@127.0.0.1:" + peer.getLocalPort() + "\"}");
            }

            Map<String, Long> firstArrival = new java.util.concurrent.ConcurrentHashMap<>();
            Thread phones = new Thread(() -> answerAll(peer, firstArrival, devices));
            phones.start();

            AdminClient.Reply reply = admin.post("/accounts/" + account + "/resync", null);

            assertThat(reply.status()).isEqualTo(202);
            assertThat(reply.json().path("devices").asInt()).isEqualTo(devices);
            phones.join(10_000);
            assertThat(firstArrival).hasSize(devices);
            List<Long> arrivals = firstArrival.values().stream().sorted().toList();
            long spread = arrivals.get(devices - 1) - arrivals.get(0);
            // Six NOTIFYs at 20 per second cannot arrive in less than five gaps of 50 ms (minus timer slack).
            assertThat(spread).isGreaterThanOrEqualTo((devices - 1) * (1000L / PER_SECOND) * 8 / 10);
        }
    }

    /** Plays every phone behind one socket: answers 200 and notes when each NOTIFY (by Call-ID) first arrived. */
    private static void answerAll(DatagramSocket peer, Map<String, Long> firstArrival, int expected) {
        byte[] buffer = new byte[4096];
        try {
            peer.setSoTimeout(5000);
            while (firstArrival.size() < expected) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                peer.receive(packet);
                long now = System.nanoTime() / 1_000_000;
                String request = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                firstArrival.putIfAbsent(SipNotifier.callIdOf(request), now);
                byte[] answer = ok(request);
                peer.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            }
        } catch (java.io.IOException e) {
            // the assertions on firstArrival report what is missing
        }
    }

    private static byte[] ok(String request) {
        StringBuilder out = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("To:")
                    || line.startsWith("Call-ID:") || line.startsWith("CSeq:")) {
                out.append(line).append("\r\n");
            }
        }
        return out.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> drain(DatagramSocket socket) throws Exception {
        List<String> messages = new ArrayList<>();
        socket.setSoTimeout(200);
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                messages.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            }
        } catch (java.net.SocketTimeoutException done) {
            return messages;
        }
    }
}
