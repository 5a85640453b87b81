package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificateTest {

    @TempDir
    Path dir;

    @Test
    void generatesAnEcdsaP256CertificateForLocalNamesAndExtraNames() throws Exception {
        Path cert = dir.resolve("certs/server.crt");
        Path key = dir.resolve("certs/server.key");

        ServerCertificate.ensure(cert, key, List.of("prov.example.com", "192.0.2.10"));

        X509Certificate x509;
        try (InputStream in = Files.newInputStream(cert)) {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(x509.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
        List<String> names = x509.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
        assertThat(names).contains("localhost", "127.0.0.1", "prov.example.com", "192.0.2.10");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void existingPairIsKept() throws Exception {
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        ServerCertificate.ensure(cert, key, List.of());
        String first = Files.readString(cert);

        ServerCertificate.ensure(cert, key, List.of("other.example.com"));

        assertThat(Files.readString(cert)).isEqualTo(first);
    }
}
