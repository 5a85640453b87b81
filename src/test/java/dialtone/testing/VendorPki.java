package dialtone.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test vendor's PKI made with Bouncy Castle: a root CA (written with its sidecar into a vendor-roots
 * folder), device certificates with the MAC where the vendor puts it, CRLs, and HTTPS clients that
 * present a device certificate.
 */
public final class VendorPki {

    /** A certificate chain (leaf first) and the leaf's key. */
    public record Identity(List<X509Certificate> chain, KeyPair key) {}

    private final String name;
    private final KeyPair rootKey;
    private final X509Certificate root;
    private final List<BigInteger> revoked = new ArrayList<>();

    public VendorPki(String name) throws Exception {
        this.name = name;
        this.rootKey = newKey();
        X500Name subject = new X500Name("CN=" + name + " Device Root CA, O=" + name);
        this.root = sign(subject, subject, rootKey.getPublic(), rootKey, true, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(3650)), null);
    }

    public X509Certificate root() {
        return root;
    }

    /** Writes {@code <name>.pem} and its sidecar into the folder. */
    public void install(Path vendorRoots, String sidecarYaml) throws Exception {
        Files.createDirectories(vendorRoots);
        Files.writeString(vendorRoots.resolve(name + ".pem"), pem(root), StandardCharsets.US_ASCII);
        Files.writeString(vendorRoots.resolve(name + ".yaml"), sidecarYaml, StandardCharsets.UTF_8);
    }

    /** A device certificate for the subject DN, valid now, issued by the root. */
    public Identity device(String subjectDn) throws Exception {
        return device(subjectDn, null, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    public Identity device(String subjectDn, String sanDns, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair key = newKey();
        X509Certificate leaf = sign(new X500Name(subjectDn), X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                key.getPublic(), rootKey, false, notBefore, notAfter, sanDns);
        return new Identity(List.of(leaf, root), key);
    }

    /** A self-signed certificate with the same subject as a real device's: proves nothing. */
    public static Identity selfSigned(String subjectDn) throws Exception {
        KeyPair key = newKey();
        X500Name subject = new X500Name(subjectDn);
        X509Certificate cert = sign(subject, subject, key.getPublic(), key, false, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)), null);
        return new Identity(List.of(cert), key);
    }

    /** Adds the certificate to this vendor's CRL and writes {@code <name>.crl} into the folder. */
    public void revoke(Identity identity, Path vendorRoots) throws Exception {
        revoked.add(identity.chain().get(0).getSerialNumber());
        X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()),
                Date.from(Instant.now().minus(Duration.ofMinutes(1))));
        builder.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(7))));
        for (BigInteger serial : revoked) {
            builder.addCRLEntry(serial, new Date(), CRLReason.keyCompromise);
        }
        var crl = new JcaX509CRLConverter().getCRL(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));
        Files.writeString(vendorRoots.resolve(name + ".crl"), pem(crl), StandardCharsets.US_ASCII);
    }

    /** An SSL context that trusts the server's certificate and presents the identity as client certificate. */
    public static SSLContext clientContext(Path serverCertificate, Identity identity) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("device", identity.key().getPrivate(), new char[0],
                identity.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(serverCertificate)) {
            trust.setCertificateEntry("server",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    public static KeyPair newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, X500Name issuer, java.security.PublicKey key, KeyPair issuerKey,
                                        boolean ca, Instant notBefore, Instant notAfter, String sanDns) throws Exception {
        var builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()), Date.from(notBefore),
                Date.from(notAfter), subject, key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature));
        if (sanDns != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, sanDns)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }

    public static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
        }
        return out.toString();
    }
}
