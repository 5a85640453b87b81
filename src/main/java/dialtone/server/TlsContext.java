package dialtone.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS context, rebuilt when the certificate or key file changes on disk so new handshakes
 * use the new pair without a restart. A pair that does not load keeps the previous context in use.
 */
public final class TlsContext {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContext.class);

    /** TLS 1.3 suites and TLS 1.2 ECDHE suites with AEAD ciphers; nothing else is offered. */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * What older phone firmware needs, offered after {@link #CIPHERS} only when a listener turns it on: TLS 1.2
     * ECDHE with AES-CBC, and static RSA key exchange (no forward secrecy). They need an RSA certificate.
     */
    static final List<String> LEGACY_CIPHERS = List.of(
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA");

    private final Path certFile;
    private final Path keyFile;
    private final boolean requestClientCertificate;
    private final List<String> ciphers;
    private volatile SslContext current;
    private volatile FileTime certTime;
    private volatile FileTime keyTime;

    public TlsContext(Path certFile, Path keyFile, boolean requestClientCertificate) {
        this(certFile, keyFile, requestClientCertificate, false);
    }

    /** {@code legacyCiphers} also offers {@link #LEGACY_CIPHERS} (a listener's {@code legacy-tls} option). */
    public TlsContext(Path certFile, Path keyFile, boolean requestClientCertificate, boolean legacyCiphers) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.requestClientCertificate = requestClientCertificate;
        this.ciphers = legacyCiphers
                ? java.util.stream.Stream.concat(CIPHERS.stream(), LEGACY_CIPHERS.stream()).toList() : CIPHERS;
        this.current = build();
    }

    public SslContext get() {
        return current;
    }

    /** Re-reads the files if either changed since the last load; called periodically. */
    public void reloadIfChanged() {
        try {
            if (Files.getLastModifiedTime(certFile).equals(certTime)
                    && Files.getLastModifiedTime(keyFile).equals(keyTime)) {
                return;
            }
            current = build();
            LOG.info("TLS certificate {} reloaded", certFile);
        } catch (Exception e) {
            LOG.error("TLS certificate {} / key {} could not be loaded; the previous pair stays in use: {}",
                    certFile, keyFile, e.getMessage());
            try {
                certTime = Files.getLastModifiedTime(certFile);
                keyTime = Files.getLastModifiedTime(keyFile);
            } catch (Exception ignored) {
                // files are missing: keep trying on the next check
            }
        }
    }

    private SslContext build() {
        try {
            FileTime certStamp = Files.getLastModifiedTime(certFile);
            FileTime keyStamp = Files.getLastModifiedTime(keyFile);
            X509Certificate[] chain = KeyPairCheck.readChain(certFile);
            PrivateKey key = KeyPairCheck.readKey(keyFile);
            KeyPairCheck.requireMatch(chain[0], key);
            // Netty wraps a JDK context made here: its own builder would first load the key into a PKCS#12 store
            // (and Bouncy Castle as a provider), which costs seconds of a cold start.
            SSLContext jdk = SSLContext.getInstance("TLS");
            // The chain of a phone's certificate is judged later, per request, against the vendor roots
            // (dialtone.security): the handshake only collects it.
            jdk.init(new KeyManager[] {new ServerKeyManager(key, chain)},
                    requestClientCertificate ? InsecureTrustManagerFactory.INSTANCE.getTrustManagers() : null, null);
            SslContext context = new JdkSslContext(jdk, false, ciphers, IdentityCipherSuiteFilter.INSTANCE,
                    ApplicationProtocolConfig.DISABLED, requestClientCertificate ? ClientAuth.OPTIONAL : ClientAuth.NONE,
                    new String[] {"TLSv1.3", "TLSv1.2"}, false);
            certTime = certStamp;
            keyTime = keyStamp;
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load TLS certificate " + certFile + " and key " + keyFile
                    + ": " + e.getMessage(), e);
        }
    }
}
