package dialtone.pbx;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real Kamailio running the shipped contrib/kamailio configuration on a loopback UDP port, for one test class. */
final class Kamailio implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/kamailio");
    static final Path SHIPPED_CONFIG = Path.of("contrib/kamailio/kamailio.cfg");
    private final Process process;
    private final Path log;
    final int port;

    private Kamailio(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts it with the shipped kamailio.cfg and a dialtone-local.cfg holding these settings; waits until it answers. */
    static Kamailio start(Path dir, int port, String directoryUrl, Path caCert, String token, String gateway,
                          int cacheSeconds) throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Files.copy(SHIPPED_CONFIG, dir.resolve("kamailio.cfg"));
        Files.writeString(dir.resolve("dialtone-local.cfg"), """
                listen=udp:127.0.0.1:%d
                #!define DIALTONE_URL "%s"
                #!define DIALTONE_CACERT "%s"
                #!define DIALTONE_TOKEN "%s"
                #!define DIALTONE_GATEWAY "%s"
                #!define DIALTONE_CACHE_SECONDS %d
                #!define DIALTONE_TIMEOUT 2
                """.formatted(port, directoryUrl, caCert.toAbsolutePath(), token, gateway, cacheSeconds));
        Path log = dir.resolve("kamailio.log");
        Process process = new ProcessBuilder(BINARY.toString(), "-f", dir.resolve("kamailio.cfg").toString(), "-DD",
                "-E", "-Y", dir.resolve("run").toString(), "-m", "32", "-M", "8")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Kamailio kamailio = new Kamailio(process, log, port);
        try {
            kamailio.awaitAnswer();
        } catch (Exception | Error e) {
            kamailio.close();
            throw e;
        }
        return kamailio;
    }

    /** Sends OPTIONS until Kamailio answers (it has then bound its port and loaded its configuration). */
    private void awaitAnswer() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(200);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("kamailio exited with " + process.exitValue() + ":\n" + log());
                }
                String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK" + System.nanoTime()
                        + "\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: probe-"
                        + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
                byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
                try {
                    DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
                    socket.receive(reply);
                    if (new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII)
                            .startsWith("SIP/2.0 200")) {
                        return;
                    }
                } catch (SocketTimeoutException notYet) {
                    // not listening yet
                }
            }
        }
        throw new IllegalStateException("kamailio did not answer OPTIONS within 30 s:\n" + log());
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
