package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.testing.HttpsClient;
import dialtone.testing.LogCapture;
import dialtone.testing.RawHttps;
import dialtone.testing.TestDialtone;
import dialtone.testing.VendorPki;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** SECURITY.md "Transport and resources", lines 23-27, and line 20 without trusted proxies. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportAttacksTest {

    Path dir;
    TestDialtone server;
    LogCapture logs;
    HttpsClient phone;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("dialtone-transport");
        logs = new LogCapture();
        server = new TestDialtone(dir, Map.of("DIALTONE_SERVER_HANDSHAKE_TIMEOUT_MS", "2000",
                "DIALTONE_SERVER_REQUEST_TIMEOUT_MS", "2500", "DIALTONE_SERVER_MAX_BODY_BYTES", "65536",
                "DIALTONE_TLS_RELOAD_INTERVAL_MS", "100", "DIALTONE_PHONE_HTTP_PORT", "0",
                "DIALTONE_TLS_PROVIDER", provider()));
        phone = server.phone();
    }

    /** Who runs TLS in this class's server; a subclass runs every case on the other provider. */
    String provider() {
        return "openssl";
    }

    @AfterAll
    void stop() {
        server.close();
        logs.close();
    }

    // --- line 23 -------------------------------------------------------------------------------

    /** A hand-built ClientHello, so the client side's own protocol restrictions cannot hide the server's. */
    static byte[] clientHello(int version, int[] suites, boolean ecExtensions) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeShort(version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        out.write(random);
        out.writeByte(0);
        out.writeShort(suites.length * 2);
        for (int s : suites) {
            out.writeShort(s);
        }
        out.writeByte(1);
        out.writeByte(0);
        if (ecExtensions) {
            ByteArrayOutputStream ext = new ByteArrayOutputStream();
            DataOutputStream e = new DataOutputStream(ext);
            e.writeShort(0x000a); e.writeShort(4); e.writeShort(2); e.writeShort(0x0017);        // secp256r1
            e.writeShort(0x000b); e.writeShort(2); e.writeByte(1); e.writeByte(0);               // uncompressed points
            e.writeShort(0x000d); e.writeShort(6); e.writeShort(4); e.writeShort(0x0403); e.writeShort(0x0804);
            out.writeShort(ext.size());
            out.write(ext.toByteArray());
        }
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        DataOutputStream r = new DataOutputStream(record);
        r.writeByte(0x16);
        r.writeShort(Math.min(version, 0x0301));
        r.writeShort(hello.length + 4);
        r.writeByte(1);
        r.writeByte(hello.length >> 16);
        r.writeShort(hello.length & 0xffff);
        r.write(hello);
        return record.toByteArray();
    }

    /** Whether the server answered the hello with a ServerHello (record type 22, handshake type 2). */
    boolean serverAccepts(byte[] hello) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.phonePort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(hello);
            socket.getOutputStream().flush();
            byte[] head = new byte[6];
            int n = socket.getInputStream().readNBytes(head, 0, 6);
            return n == 6 && head[0] == 0x16 && head[5] == 0x02;
        } catch (java.net.SocketException reset) {
            return false;
        }
    }

    @Test
    void weakProtocolsAndCiphersFailTheHandshakeWhileTls12EcdheAeadAndTls13Work() throws Exception {
        int[] weakSuites = {0x0004, 0x0005, 0x000a, 0x0016, 0x0001, 0x0002, 0x003b, 0x0003, 0x0006, 0x0008, 0x0014,
                0x002f, 0x0035};
        assertThat(serverAccepts(clientHello(0x0300, weakSuites, false))).as("SSLv3").isFalse();
        assertThat(serverAccepts(clientHello(0x0301, new int[] {0xc009, 0xc013, 0x002f}, true))).as("TLS 1.0").isFalse();
        assertThat(serverAccepts(clientHello(0x0302, new int[] {0xc009, 0xc013, 0x002f}, true))).as("TLS 1.1").isFalse();
        Map<String, int[]> tls12Weak = Map.of(
                "RC4", new int[] {0x0005, 0xc007, 0xc011}, "3DES", new int[] {0x000a, 0xc008, 0xc012},
                "NULL", new int[] {0x0001, 0x0002, 0xc006, 0xc010}, "EXPORT", new int[] {0x0003, 0x0006, 0x0008, 0x0014},
                "CBC", new int[] {0xc009, 0xc00a, 0xc023, 0xc027}, "static RSA GCM", new int[] {0x009c, 0x009d},
                "DHE GCM", new int[] {0x009e, 0x009f});
        for (var weak : tls12Weak.entrySet()) {
            assertThat(serverAccepts(clientHello(0x0303, weak.getValue(), true))).as("TLS 1.2 " + weak.getKey()).isFalse();
        }
        // The same hand-built hello with an ECDHE+AEAD suite is accepted: the refusals above are about the suites.
        assertThat(serverAccepts(clientHello(0x0303, new int[] {0xc02b}, true))).as("TLS 1.2 ECDHE-ECDSA-AES128-GCM").isTrue();

        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            try (SSLSocket socket = (SSLSocket) HttpsClient.trusting(server.certificate()).getSocketFactory()
                    .createSocket("127.0.0.1", server.phonePort())) {
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(socket.getSession().getCipherSuite()).matches("TLS_(ECDHE_ECDSA_WITH_)?(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+");
            }
        }
        try (SSLSocket socket = (SSLSocket) HttpsClient.trusting(server.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", server.phonePort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void clientInitiatedTls12RenegotiationClosesTheConnectionAfterItsOrdinaryRequestWasServed() throws Exception {
        for (int port : List.of(server.phonePort(), server.adminPort())) {
            try (SSLSocket socket = (SSLSocket) HttpsClient.trusting(server.certificate()).getSocketFactory()
                    .createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(20_000);
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                assertThat(answerTo(socket, "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n"))
                        .as("a request on the first handshake").startsWith("HTTP/1.1 ");

                // A second startHandshake on a TLS 1.2 socket sends a new ClientHello: a renegotiation.
                assertThatThrownBy(() -> {
                    socket.startHandshake();
                    answerTo(socket, "GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n");
                }).as("port " + port).isInstanceOf(IOException.class);
            }
        }
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("tls-renegotiation-refused ip=127.0.0.1"));
    }

    /** Sends one request and reads its status line, headers and body (by Content-Length); EOF is an error. */
    private static String answerTo(SSLSocket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed after " + head.length() + " bytes");
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
    }

    @Test
    void aPhoneThatReconnectsResumesItsTlsSession() throws Exception {
        SSLContext client = HttpsClient.trusting(server.certificate());
        byte[][] ids = new byte[2][];
        for (int i = 0; i < 2; i++) {
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.phonePort())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                ids[i] = socket.getSession().getId();
            }
        }
        assertThat(ids[0]).isNotEmpty();
        assertThat(ids[1]).as("the second connection resumed the first one's session").isEqualTo(ids[0]);
    }

    @Test
    void theLogNamesWhoRunsTls() {
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("TLS through " + providerLogName()));
    }

    String providerLogName() {
        return "OpenSSL";
    }

    // --- line 24 -------------------------------------------------------------------------------

    static X509Certificate presented(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    static void replace(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void waitFor(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void replacedCertificateIsUsedWithoutRestartAndABadPairKeepsTheOldOne() throws Exception {
        Path certFile = server.certificate();
        Path keyFile = server.config().tls().key();
        X509Certificate original = presented(server.phonePort());
        String originalCert = Files.readString(certFile);
        String originalKey = Files.readString(keyFile);
        try {
            replaceTwice(certFile, keyFile, original);
        } finally {
            replace(keyFile, originalKey);
            replace(certFile, originalCert);
            waitFor("the original certificate is back", () -> {
                try {
                    return presented(server.phonePort()).equals(original);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    private void replaceTwice(Path certFile, Path keyFile, X509Certificate original) throws Exception {
        VendorPki.Identity fresh = VendorPki.selfSigned("CN=Dialtone renewed");
        replace(keyFile, VendorPki.pem(fresh.key().getPrivate()));
        replace(certFile, VendorPki.pem(fresh.chain().get(0)));

        waitFor("the new certificate is presented", () -> {
            try {
                return presented(server.phonePort()).equals(fresh.chain().get(0))
                        && presented(server.adminPort()).equals(fresh.chain().get(0));
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(original).isNotEqualTo(fresh.chain().get(0));

        long errorsBefore = logs.lines().stream().filter(l -> l.contains("the previous pair stays in use")).count();
        VendorPki.Identity other = VendorPki.selfSigned("CN=Mismatched");
        replace(certFile, VendorPki.pem(other.chain().get(0)));     // the key on disk is still fresh's
        waitFor("the bad pair is reported", () ->
                logs.lines().stream().filter(l -> l.contains("the previous pair stays in use")).count() > errorsBefore);
        assertThat(presented(server.phonePort())).isEqualTo(fresh.chain().get(0));
        assertThat(presented(server.adminPort())).isEqualTo(fresh.chain().get(0));
    }

    // --- line 25 -------------------------------------------------------------------------------

    @Test
    void aSecondRequestTrickledOnAKeptAliveConnectionIsCutOffADeadlineAfterTheFirstAnswer() throws Exception {
        try (javax.net.ssl.SSLSocket socket = RawHttps.connect(server.certificate(), server.phonePort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // The first request 1.5 s into the connection's 2.5 s: the timer set at the start then fires 1 s after
            // the first answer, while the clock the answer started has 1.5 s left, and must wait for them.
            Thread.sleep(1_500);
            out.write("GET /y000000000066.cfg HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Past the head of the first answer: the connection is kept alive and its clock starts again.
            String head = "";
            while (!head.endsWith("\r\n\r\n")) {
                head += (char) in.read();
            }
            assertThat(head).startsWith("HTTP/1.1 200");
            long answered = System.nanoTime();
            // The second request, a byte every 200 ms: never whole within the 2.5 s deadline.
            byte[] second = "GET /y000000000066.cfg HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            boolean cutOff = false;
            try {
                for (byte b : second) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (IOException closed) {
                cutOff = true;
            }
            if (!cutOff) {
                // Whatever the first answer's body left, then the end: the server closed, it never answered.
                cutOff = !RawHttps.readAll(in).contains("HTTP/1.1 ");
            }
            long millis = (System.nanoTime() - answered) / 1_000_000;
            assertThat(cutOff).isTrue();
            assertThat(millis).as("cut off a deadline after the first answer, not before").isGreaterThanOrEqualTo(2_000);
        }
    }

    @Test
    void aThousandTricklingConnectionsAreClosedByTheRequestDeadlineWhileOthersAreServed() throws Exception {
        // 1,000 slow clients: 100 over TLS and 900 on the plain-HTTP phone listener. The deadline lives in the
        // pipeline both share; the plain ones spare a 2-core test machine 900 ECDHE handshakes.
        int slowlorises = 1000;
        int overTls = 100;
        long started = System.nanoTime();
        List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        ExecutorService openers = Executors.newFixedThreadPool(8);
        AtomicBoolean trickling = new AtomicBoolean(true);
        AtomicLong bytesTrickled = new AtomicLong();
        Thread trickler = new Thread(() -> {
            while (trickling.get()) {
                List<Socket> snapshot;
                synchronized (sockets) {
                    snapshot = new ArrayList<>(sockets);
                }
                for (Socket s : snapshot) {
                    try {
                        s.getOutputStream().write('a');
                        s.getOutputStream().flush();
                        bytesTrickled.incrementAndGet();
                    } catch (IOException closed) {
                        // the server hung up: that is the point
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            List<Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < slowlorises; i++) {
                boolean tls = i < overTls;
                opened.add(openers.submit(() -> {
                    Socket s = tls ? RawHttps.connect(server.certificate(), server.phonePort())
                            : new Socket("127.0.0.1", server.phoneHttpPort());
                    sockets.add(s);
                    try {
                        s.getOutputStream().write("GET /y000000000066.cfg HTTP/1.1\r\nHost: x\r\nX-Slow: "
                                .getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                    } catch (IOException closedAlready) {
                        // on a busy machine the deadline may run out before the first line: closed all the same
                    }
                    return null;
                }));
                if (i == 0) {
                    trickler.start();
                }
            }
            for (Future<?> f : opened) {
                f.get();
            }
            System.out.println("slowloris: " + slowlorises + " connections open after "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
            assertThat(sockets).hasSize(slowlorises);
            for (int i = 0; i < 5; i++) {
                assertThat(phone.get("/y000000000066.cfg").statusCode()).isEqualTo(200);
            }
            int closed = 0;
            for (Socket s : sockets) {
                s.setSoTimeout(20_000);
                String answer = RawHttps.readAll(s.getInputStream());
                assertThat(answer).doesNotContain("200 OK");
                closed++;
            }
            assertThat(closed).isEqualTo(slowlorises);
            System.out.println("slowloris: all closed after " + (System.nanoTime() - started) / 1_000_000 + " ms");
            assertThat(bytesTrickled.get()).isPositive();
            assertThat(phone.get("/y000000000066.cfg").statusCode()).isEqualTo(200);
        } finally {
            trickling.set(false);
            trickler.interrupt();
            openers.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    // --- line 26 -------------------------------------------------------------------------------

    @Test
    void aConnectionThatNeverSendsAClientHelloIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.phonePort())) {
            socket.setSoTimeout(20_000);
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    // --- line 27 -------------------------------------------------------------------------------

    @Test
    void oversizedRequestLineHeadersAndBodiesAre414431413AndAnEndlessChunkedBodyIsCut() throws Exception {
        String longLine = RawHttps.get(server.certificate(), server.phonePort(), "/" + "a".repeat(5000) + ".cfg");
        assertThat(RawHttps.status(longLine)).isEqualTo(414);

        String bigHeaders = RawHttps.exchange(server.certificate(), server.adminPort(), ("GET /api/v1/accounts HTTP/1.1\r\n"
                + "Host: x\r\nX-Big: " + "b".repeat(9000) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(RawHttps.status(bigHeaders)).isEqualTo(431);

        byte[] body = new byte[70_000];
        byte[] head = ("POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        String tooLarge = RawHttps.exchange(server.certificate(), server.adminPort(), request);
        assertThat(RawHttps.status(tooLarge)).isEqualTo(413);

        try (SSLSocket socket = RawHttps.connect(server.certificate(), server.phonePort())) {
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = ("2000\r\n" + "c".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    while (sent.get() < 512L * 1024 * 1024) {
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException cut) {
                    // the server closed the connection
                }
            });
            writer.start();
            socket.setSoTimeout(30_000);
            String answer = RawHttps.readAll(socket.getInputStream());
            socket.close();
            writer.join(30_000);
            assertThat(answer.isEmpty() || RawHttps.status(answer) == 413).as(answer).isTrue();
            assertThat(sent.get()).isLessThan(64L * 1024 * 1024);
        }
    }

    // --- line 20 -------------------------------------------------------------------------------

    @Test
    void forwardedForIsIgnoredWhenThePeerIsNotATrustedProxy() throws Exception {
        phone.get("/0015654aeeee.cfg", Map.of("X-Forwarded-For", "192.0.2.55"));
        assertThat(logs.lines()).anyMatch(l -> l.startsWith("phone-request ip=127.0.0.1 ") && l.contains("0015654aeeee"))
                .noneMatch(l -> l.contains("192.0.2.55"));
    }
}
