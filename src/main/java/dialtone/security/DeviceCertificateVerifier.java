package dialtone.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which MAC, if any, a TLS client certificate chain proves: the chain must lead to one of the
 * vendor roots in {@code tls.vendor-roots}, every certificate must be within its validity and not on a
 * CRL found beside the roots, the leaf must not be one of the vendor's generic shared certificates, and
 * the MAC is read from where that vendor's sidecar says it is.
 *
 * <p>Layout of the folder: {@code <name>.pem} (the root), {@code <name>.yaml} (the sidecar:
 * {@code mac-in: cn | st | san}, optional {@code generic-subjects: [regex, ...]}), any {@code *.crl}.
 */
public final class DeviceCertificateVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCertificateVerifier.class);
    // A MAC written with ':' or '-' separators or as 12 bare hex digits, not part of a longer hex run.
    private static final Pattern MAC_TOKEN = Pattern.compile(
            "(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{12})(?![0-9A-Fa-f])");
    private static final Set<String> SIDECAR_FIELDS = Set.of("vendor", "mac-in", "generic-subjects");

    /** What a chain proves: the MAC, or why it proves nothing. */
    public record Verdict(String mac, String reason) {
        public boolean proven() {
            return mac != null;
        }

        static Verdict no(String reason) {
            return new Verdict(null, reason);
        }
    }

    private final List<VendorRoot> roots;
    private final List<X509CRL> crls;
    private final Set<TrustAnchor> anchors = new HashSet<>();

    public DeviceCertificateVerifier(List<VendorRoot> roots, List<X509CRL> crls) {
        this.roots = List.copyOf(roots);
        this.crls = List.copyOf(crls);
        roots.forEach(r -> anchors.add(new TrustAnchor(r.certificate(), null)));
    }

    /** Loads every root, sidecar and CRL of the folder; a missing folder means no vendor roots. */
    public static DeviceCertificateVerifier load(Path dir) {
        List<VendorRoot> roots = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            LOG.info("no vendor root folder {}: device certificates prove nothing", dir);
            return new DeviceCertificateVerifier(roots, crls);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            List<Path> sorted = new ArrayList<>();
            files.forEach(sorted::add);
            sorted.sort(null);
            for (Path file : sorted) {
                String name = file.getFileName().toString();
                if (name.endsWith(".pem") || name.endsWith(".crt")) {
                    roots.add(loadRoot(file));
                } else if (name.endsWith(".crl")) {
                    crls.addAll(loadCrls(file));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read vendor root folder " + dir + ": " + e.getMessage(), e);
        }
        LOG.info("loaded {} vendor root(s) and {} CRL(s) from {}", roots.size(), crls.size(), dir);
        return new DeviceCertificateVerifier(roots, crls);
    }

    private static VendorRoot loadRoot(Path pem) {
        String base = pem.getFileName().toString().replaceFirst("\\.(pem|crt)$", "");
        Path sidecar = pem.resolveSibling(base + ".yaml");
        if (!Files.exists(sidecar)) {
            throw new IllegalStateException("vendor root " + pem + " has no sidecar " + sidecar
                    + " (mac-in: cn | st | san)");
        }
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(pem)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("vendor root " + pem + " is not a PEM certificate: " + e.getMessage(), e);
        }
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(sidecar.toFile());
            if (node == null || !node.isObject()) {
                throw new IllegalStateException("sidecar " + sidecar + " must be a YAML mapping");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!SIDECAR_FIELDS.contains(field)) {
                    throw new IllegalStateException("sidecar " + sidecar + ": unknown key '" + field + "'");
                }
            }
            String macIn = node.path("mac-in").asText("");
            VendorRoot.MacLocation location;
            try {
                location = VendorRoot.MacLocation.valueOf(macIn.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("sidecar " + sidecar + ": mac-in '" + macIn + "' is not one of cn, st, san");
            }
            List<Pattern> generic = new ArrayList<>();
            for (JsonNode subject : node.path("generic-subjects")) {
                generic.add(Pattern.compile(subject.asText(), Pattern.CASE_INSENSITIVE));
            }
            return new VendorRoot(node.path("vendor").asText(base), certificate, location, generic);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read sidecar " + sidecar + ": " + e.getMessage(), e);
        }
    }

    private static List<X509CRL> loadCrls(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509CRL> out = new ArrayList<>();
            for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                out.add((X509CRL) crl);
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("CRL file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    public int rootCount() {
        return roots.size();
    }

    /** Judges a presented chain (leaf first) at the given time. */
    public Verdict verify(List<X509Certificate> chain, Instant now) {
        if (chain.isEmpty()) {
            return Verdict.no("no-certificate");
        }
        if (roots.isEmpty()) {
            return Verdict.no("certificate-untrusted");
        }
        Date at = Date.from(now);
        for (X509Certificate c : chain) {
            if (at.before(c.getNotBefore()) || at.after(c.getNotAfter())) {
                return Verdict.no("certificate-expired");
            }
        }
        PKIXCertPathValidatorResult result;
        List<X509Certificate> path = withoutAnchors(chain);
        if (path.isEmpty()) {
            return Verdict.no("certificate-untrusted");
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(at);
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (GeneralSecurityException e) {
            return Verdict.no("certificate-untrusted");
        }
        X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
        if (isRevoked(path, anchor, at)) {
            return Verdict.no("certificate-revoked");
        }
        VendorRoot root = roots.stream().filter(r -> r.certificate().equals(anchor)).findFirst().orElseThrow();
        X509Certificate leaf = path.get(0);
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        String cn = attribute(subject, BCStyle.CN);
        if (root.isGeneric(cn, leaf.getSubjectX500Principal().getName())) {
            return Verdict.no("certificate-generic");
        }
        String mac = macOf(leaf, subject, root.macIn());
        return mac == null ? Verdict.no("certificate-without-mac") : new Verdict(mac, null);
    }

    private List<X509Certificate> withoutAnchors(List<X509Certificate> chain) {
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (roots.stream().noneMatch(r -> r.certificate().equals(c))) {
                path.add(c);
            }
        }
        return path;
    }

    /**
     * Checks each certificate of the path against every CRL that its issuer signed. A CRL past its
     * nextUpdate cannot vouch for anything: the certificate then counts as revoked (it proves nothing,
     * and the phone can still prove itself with its password) until a current CRL is installed.
     */
    private boolean isRevoked(List<X509Certificate> path, X509Certificate anchor, Date at) {
        for (int i = 0; i < path.size(); i++) {
            X509Certificate cert = path.get(i);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchor;
            for (X509CRL crl : crls) {
                if (!crl.getIssuerX500Principal().equals(cert.getIssuerX500Principal())) {
                    continue;
                }
                try {
                    crl.verify(issuer.getPublicKey());
                } catch (GeneralSecurityException forged) {
                    continue;
                }
                if (crl.isRevoked(cert) || (crl.getNextUpdate() != null && crl.getNextUpdate().before(at))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String macOf(X509Certificate leaf, X500Name subject, VendorRoot.MacLocation location) {
        List<String> candidates = new ArrayList<>();
        switch (location) {
            case CN -> candidates.add(attribute(subject, BCStyle.CN));
            case ST -> candidates.add(attribute(subject, BCStyle.ST));
            case SAN -> {
                try {
                    if (leaf.getSubjectAlternativeNames() != null) {
                        for (List<?> entry : leaf.getSubjectAlternativeNames()) {
                            if (entry.size() > 1 && entry.get(1) instanceof String value) {
                                candidates.add(value);
                            }
                        }
                    }
                } catch (GeneralSecurityException e) {
                    return null;
                }
            }
        }
        Set<String> macs = new LinkedHashSet<>();
        for (String candidate : candidates) {
            if (candidate == null) {
                continue;
            }
            Matcher m = MAC_TOKEN.matcher(candidate);
            while (m.find()) {
                macs.add(m.group().replaceAll("[:-]", "").toLowerCase(Locale.ROOT));
            }
        }
        // Two different MACs in one certificate is ambiguous: it proves neither.
        return macs.size() == 1 ? macs.iterator().next() : null;
    }

    private static String attribute(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }
}
