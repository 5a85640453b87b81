package dialtone.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS context, rebuilt when the certificate or key file changes on disk so new handshakes
 * use the new pair without a restart. A pair that does not load keeps the previous context in use.
 * TLS runs in OpenSSL (BoringSSL, bundled for linux-x86_64) where it loads, else in the JDK; both offer the
 * same protocols and suites, and both resume sessions (a session cache and TLS tickets), so a phone that
 * reconnects within {@link #SESSION_TIMEOUT_SECONDS} skips the full handshake.
 */
public final class TlsContext implements AutoCloseable {

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

    static final long SESSION_TIMEOUT_SECONDS = 3600;

    private final Path certFile;
    private final Path keyFile;
    private final boolean requestClientCertificate;
    private final SslProvider provider;
    private final List<String> ciphers;
    private final int sessionCacheSize;
    private volatile SslContext current;
    private boolean closed;
    private volatile FileTime certTime;
    private volatile FileTime keyTime;

    /**
     * @param legacyCiphers also offer {@link #LEGACY_CIPHERS} (a listener's {@code legacy-tls} option)
     * @param provider {@code openssl}, {@code jdk} or {@code auto} (OpenSSL where its native library loads)
     * @param sessionCacheSize how many sessions the server keeps for resumption (a session ticket needs none)
     */
    public TlsContext(Path certFile, Path keyFile, boolean requestClientCertificate, boolean legacyCiphers,
                      String provider, int sessionCacheSize) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.requestClientCertificate = requestClientCertificate;
        this.provider = provider(provider);
        this.sessionCacheSize = sessionCacheSize;
        // BoringSSL implements only part of the legacy list (no CBC with SHA-256/384): it offers those it has.
        this.ciphers = legacyCiphers ? java.util.stream.Stream.concat(CIPHERS.stream(), LEGACY_CIPHERS.stream()
                .filter(c -> this.provider == SslProvider.JDK || OpenSsl.isCipherSuiteAvailable(c))).toList() : CIPHERS;
        this.current = build();
    }

    /** Which implementation runs TLS: OpenSSL or JDK. */
    public String providerName() {
        return provider == SslProvider.JDK ? "JDK" : "OpenSSL (" + OpenSsl.versionString() + ")";
    }

    private static SslProvider provider(String wanted) {
        if (wanted.equals("jdk")) {
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable()) {
            // Not the reference-counted variant: a connection whose engine is never released (an abrupt stop,
            // a path no test foresaw) must not hold native memory for good; the collector frees it.
            return SslProvider.OPENSSL;
        }
        if (wanted.equals("openssl")) {
            throw new IllegalStateException("tls.provider is openssl, but OpenSSL cannot be loaded: "
                    + OpenSsl.unavailabilityCause());
        }
        LOG.warn("TLS through the JDK: OpenSSL is not available here ({})", String.valueOf(OpenSsl.unavailabilityCause()));
        return SslProvider.JDK;
    }

    public SslContext get() {
        return current;
    }

    /** Re-reads the files if either changed since the last load; called periodically. */
    public synchronized void reloadIfChanged() {
        if (closed) {
            return;
        }
        try {
            if (Files.getLastModifiedTime(certFile).equals(certTime)
                    && Files.getLastModifiedTime(keyFile).equals(keyTime)) {
                return;
            }
            SslContext previous = current;
            current = build();
            // Connections still using it hold their own reference; this drops ours.
            ReferenceCountUtil.release(previous);
            LOG.info("TLS certificate {} reloaded", certFile);
        } catch (Exception e) {
            // build() noted the files' times before reading them (or, a file missing, kept the old ones): the
            // same bad pair is not tried again, and a file written since is.
            LOG.error("TLS certificate {} / key {} could not be loaded; the previous pair stays in use: {}",
                    certFile, keyFile, e.getMessage());
        }
    }

    private SslContext build() {
        try {
            FileTime certStamp = Files.getLastModifiedTime(certFile);
            FileTime keyStamp = Files.getLastModifiedTime(keyFile);
            // Noted before the files are read, whether they load or not. Noted after a failure, they could
            // already be a file written after the read (a renewal writes key, then certificate), and that
            // file would never be loaded.
            certTime = certStamp;
            keyTime = keyStamp;
            X509Certificate[] chain = KeyPairCheck.readChain(certFile);
            PrivateKey key = KeyPairCheck.readKey(keyFile);
            KeyPairCheck.requireMatch(chain[0], key);
            SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                    .sslProvider(provider)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(ciphers)
                    .sessionCacheSize(sessionCacheSize)
                    .sessionTimeout(SESSION_TIMEOUT_SECONDS);
            if (requestClientCertificate) {
                // The chain is judged later, per request, against the vendor roots (dialtone.security):
                // the handshake only collects it.
                builder.clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            return builder.build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load TLS certificate " + certFile + " and key " + keyFile
                    + ": " + e.getMessage(), e);
        }
    }

    /** Drops this context (an OpenSSL one holds native memory); connections still open keep theirs. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            ReferenceCountUtil.release(current);
        }
    }
}
