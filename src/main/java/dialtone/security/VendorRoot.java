package dialtone.security;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One vendor's device-certificate trust root and its sidecar: where that vendor puts the MAC in a
 * device certificate, and which subjects are generic certificates shared by many devices.
 */
public record VendorRoot(String name, X509Certificate certificate, MacLocation macIn, List<Pattern> genericSubjects) {

    /** Where a vendor writes the device's MAC. */
    public enum MacLocation {
        /** The subject's common name (Yealink, Polycom: {@code CN=001565aabbcc}). */
        CN,
        /** The subject's state-or-province attribute, as Cisco's manufacturing certificates do. */
        ST,
        /** A subject alternative name (DNS, URI or e-mail form). */
        SAN
    }

    /** Whether the certificate's subject is one of the vendor's shared, not-per-device subjects. */
    public boolean isGeneric(String subjectCommonName, String subjectDn) {
        return genericSubjects.stream().anyMatch(p -> (subjectCommonName != null && p.matcher(subjectCommonName).matches())
                || p.matcher(subjectDn).matches());
    }
}
