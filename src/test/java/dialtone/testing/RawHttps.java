package dialtone.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;

/** Sends bytes exactly as given over TLS (no client-side URL cleaning) and reads the raw answer. */
public final class RawHttps {

    private RawHttps() {}

    private static final java.util.Map<Path, javax.net.ssl.SSLContext> CONTEXTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Connects and completes the handshake; one client context per certificate, so sessions are resumed. */
    public static SSLSocket connect(Path serverCertificate, int port) throws Exception {
        javax.net.ssl.SSLContext context = CONTEXTS.get(serverCertificate);
        if (context == null) {
            context = HttpsClient.trusting(serverCertificate);
            CONTEXTS.put(serverCertificate, context);
        }
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        socket.startHandshake();
        return socket;
    }

    /** Sends one request (it should carry {@code Connection: close}) and returns everything until EOF. */
    public static String exchange(Path serverCertificate, int port, byte[] request) throws Exception {
        try (SSLSocket socket = connect(serverCertificate, port)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    public static String get(Path serverCertificate, int port, String target) throws Exception {
        return exchange(serverCertificate, port, ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    public static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | javax.net.ssl.SSLException | java.net.SocketException closed) {
            // what arrived before the close is the answer
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    public static int status(String response) {
        return response.length() < 12 ? -1 : Integer.parseInt(response.substring(9, 12));
    }
}
