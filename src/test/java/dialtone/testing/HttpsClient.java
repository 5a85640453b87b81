package dialtone.testing;

import dialtone.security.HttpDigest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An HTTPS client that trusts exactly the test server's generated certificate (a real TLS handshake). */
public final class HttpsClient {

    /** A safety net against a hung server, not a speed check: generous enough for a loaded build machine. */
    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(120);
    private final String base;
    private final HttpClient client;

    public HttpsClient(String base, Path trustedCertificate) throws Exception {
        this(base, trusting(trustedCertificate));
    }

    /** A client with its own SSL context (e.g. one that presents a device certificate). */
    public HttpsClient(String base, SSLContext context) {
        this.base = base;
        this.client = HttpClient.newBuilder().sslContext(context)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static SSLContext trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            store.setCertificateEntry("server", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    public HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_LIMIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(builder::header);
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<byte[]> sendBytes(String method, String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_LIMIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return send("GET", path, null, headers);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return get(path, Map.of());
    }

    public HttpResponse<String> getBasic(String path, String username, String password) throws Exception {
        String encoded = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return get(path, Map.of("Authorization", "Basic " + encoded));
    }

    /** Does what a phone does: asks, receives the Digest challenge, answers it (MD5, qop=auth). */
    public HttpResponse<String> getDigest(String path, String username, String password) throws Exception {
        return getDigest(path, username, password, Map.of());
    }

    public HttpResponse<String> getDigest(String path, String username, String password, Map<String, String> headers)
            throws Exception {
        HttpResponse<String> challenge = get(path, headers);
        if (challenge.statusCode() != 401) {
            return challenge;
        }
        String header = challenge.headers().allValues("WWW-Authenticate").stream()
                .filter(h -> h.startsWith("Digest ")).findFirst().orElseThrow();
        return get(path, merged(headers, "Authorization", digestAuthorization(header, "GET", path, username, password)));
    }

    public static String digestAuthorization(String challenge, String method, String uri, String username, String password) {
        Map<String, String> p = parseChallenge(challenge.substring("Digest ".length()));
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        String cnonce = "0a4f113b";
        String nc = "00000001";
        String ha1 = HttpDigest.md5(username + ":" + realm + ":" + password);
        String ha2 = HttpDigest.md5(method + ":" + uri);
        String response = HttpDigest.md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + username + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\", response=\"" + response
                + "\", opaque=\"" + p.get("opaque") + "\"";
    }

    private static Map<String, String> parseChallenge(String value) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String part : value.split(",\\s*")) {
            int eq = part.indexOf('=');
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).replace("\"", "").trim());
        }
        return out;
    }

    private static Map<String, String> merged(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put(name, value);
        return all;
    }
}
