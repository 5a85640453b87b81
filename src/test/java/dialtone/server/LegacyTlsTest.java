package dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.testing.HttpsClient;
import dialtone.testing.TestDialtone;
import dialtone.testing.VendorPki;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Older phone firmware speaks only TLS 1.2 with CBC or static-RSA suites: the phone listener offers them
 * only when {@code phone.legacy-tls} is on (with an RSA certificate), never by default, and never on the
 * admin listener because the phone listener has it.
 */
class LegacyTlsTest {

    /** Suites such firmware offers; none of them is in the default list. */
    static final String[] OLD_FIRMWARE_SUITES = {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"};

    @TempDir
    Path dir;

    /** A self-signed RSA certificate for 127.0.0.1 / localhost, as a CA-signed one for phones would be. */
    private void rsaCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)), name, key.getPublic());
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("certs/server.crt"), VendorPki.pem(cert));
        Files.writeString(dir.resolve("certs/server.key"), VendorPki.pem(key.getPrivate()));
    }

    private String handshake(Path cert, int port, String suite) throws Exception {
        SSLSocket socket = (SSLSocket) HttpsClient.trusting(cert).getSocketFactory().createSocket("127.0.0.1", port);
        try (socket) {
            socket.setSoTimeout(15_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        }
    }

    @Test
    void oldFirmwareSuitesAreRefusedByDefault() throws Exception {
        rsaCertificate();
        try (TestDialtone server = new TestDialtone(dir)) {
            for (String suite : OLD_FIRMWARE_SUITES) {
                assertThatThrownBy(() -> handshake(dir.resolve("certs/server.crt"), server.phonePort(), suite))
                        .as(suite).isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @Test
    void thePhoneListenersLegacyOptionAcceptsThemAndTheAdminListenerStillRefuses() throws Exception {
        rsaCertificate();
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_PHONE_LEGACY_TLS", "true"))) {
            for (String suite : OLD_FIRMWARE_SUITES) {
                assertThat(handshake(dir.resolve("certs/server.crt"), server.phonePort(), suite)).isEqualTo(suite);
                assertThatThrownBy(() -> handshake(dir.resolve("certs/server.crt"), server.adminPort(), suite))
                        .as(suite).isInstanceOf(SSLHandshakeException.class);
            }
            assertThat(handshake(dir.resolve("certs/server.crt"), server.phonePort(),
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
    }
}
