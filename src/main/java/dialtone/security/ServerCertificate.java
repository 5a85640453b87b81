package dialtone.security;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the self-signed ECDSA P-256 server certificate on first start. */
public final class ServerCertificate {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);

    private ServerCertificate() {}

    /** Writes a certificate and key (PEM, key mode 0600) unless both files already exist. */
    public static void ensure(Path certFile, Path keyFile, List<String> extraNames) {
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            return;
        }
        try {
            KeyPair pair = newEcKeyPair();
            // The operator's names first: the first name is the one phones are pointed at (ServerNames).
            Set<String> names = new LinkedHashSet<>(extraNames);
            names.add(InetAddress.getLocalHost().getHostName());
            names.addAll(List.of("localhost", "127.0.0.1"));
            X509CertificateHolder cert = selfSigned(pair, "Dialtone " + names.iterator().next(), names);
            PrivateFiles.write(keyFile, pem(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
            Files.createDirectories(certFile.toAbsolutePath().getParent());
            Files.writeString(certFile, pem(cert), StandardCharsets.US_ASCII);
            LOG.info("generated self-signed server certificate {} for {}", certFile, names);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create server certificate " + certFile + ": " + e.getMessage(), e);
        }
    }

    /** The DNS names and IP addresses a certificate file names (subject alternative names), in its order. */
    public static List<String> names(Path certFile) {
        try (var in = Files.newInputStream(certFile)) {
            var cert = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            List<String> names = new ArrayList<>();
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> name : cert.getSubjectAlternativeNames()) {
                    int type = (Integer) name.get(0);
                    if (type == GeneralName.dNSName || type == GeneralName.iPAddress) {
                        names.add((String) name.get(1));
                    }
                }
            }
            return names;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot read the names of certificate " + certFile + ": " + e.getMessage(), e);
        }
    }

    static KeyPair newEcKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509CertificateHolder selfSigned(KeyPair pair, String commonName, Set<String> names)
            throws IOException, OperatorCreationException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", "_"));
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, Secrets.randomBytes(8)),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(825))), subject,
                pair.getPublic());
        List<GeneralName> alt = new ArrayList<>();
        for (String name : names) {
            boolean ip = name.matches("[0-9.]+") || name.contains(":");
            alt.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    }

    static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
        }
        return out.toString();
    }
}
