package dialtone.security;

import java.util.Locale;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Digest (RFC 7616, MD5 with qop=auth: what desk phones speak) and Basic credentials checks.
 * Nonces are a timestamp signed with a per-process key, valid for a few minutes; the nonce count of each
 * is tracked ({@link NonceCounts}), so that a captured request cannot be replayed while its nonce is fresh.
 */
public final class HttpDigest {

    private static final long NONCE_LIFETIME_MILLIS = 5 * 60 * 1000;
    /** About 100 bytes each: a few MB at most, far more nonces than phones rebooting within five minutes. */
    private static final int TRACKED_NONCES = 50_000;
    private static final java.util.regex.Pattern NONCE_COUNT = java.util.regex.Pattern.compile("[0-9a-fA-F]{1,8}");
    private final String realm;
    private final byte[] nonceKey = Secrets.randomBytes(32);
    private final NonceCounts counts;

    private final java.util.function.LongSupplier clock;

    public HttpDigest(String realm) {
        this(realm, System::currentTimeMillis);
    }

    HttpDigest(String realm, java.util.function.LongSupplier clock) {
        this(realm, clock, TRACKED_NONCES);
    }

    HttpDigest(String realm, java.util.function.LongSupplier clock, int trackedNonces) {
        this.realm = realm;
        this.clock = clock;
        this.counts = new NonceCounts(trackedNonces, NONCE_LIFETIME_MILLIS);
    }

    /** The parsed {@code Authorization} header: scheme (digest or basic) and its parameters. */
    public record Credentials(String scheme, String username, Map<String, String> params, String basicPassword) {}

    /**
     * The {@code WWW-Authenticate} values to send with a 401, Digest first, then Basic; {@code stale} tells the client its nonce merely expired (RFC 7616 3.3), so it retries
     * with the new one instead of taking its password for wrong.
     */
    public String[] challenges(boolean stale) {
        String digest = "Digest realm=\"" + realm + "\", qop=\"auth\", algorithm=MD5, nonce=\"" + newNonce()
                + "\", opaque=\"" + HexFormat.of().formatHex(Secrets.randomBytes(8)) + "\"" + (stale ? ", stale=true" : "");
        return new String[] {digest, "Basic realm=\"" + realm + "\", charset=\"UTF-8\""};
    }

    /** Parses an Authorization header, or returns null when absent or malformed. */
    public static Credentials parse(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String rest = header.substring(space + 1).trim();
        if (scheme.equals("basic")) {
            try {
                String decoded = new String(Base64.getDecoder().decode(rest), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? null
                        : new Credentials("basic", decoded.substring(0, colon), Map.of(), decoded.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (scheme.equals("digest")) {
            Map<String, String> params = parseParams(rest);
            String username = params.get("username");
            return username == null ? null : new Credentials("digest", username, params, null);
        }
        return null;
    }

    /** Whether the credentials prove knowledge of {@code password} for this method and request target. */
    public boolean verify(Credentials credentials, String method, String requestUri, String password) {
        if (credentials.scheme().equals("basic")) {
            return Secrets.constantTimeEquals(credentials.basicPassword(), password);
        }
        Map<String, String> p = credentials.params();
        String nonce = p.get("nonce");
        String uri = p.get("uri");
        String response = p.get("response");
        String qop = p.get("qop");
        if (nonce == null || uri == null || response == null || !uri.equals(requestUri) || !nonceIsFresh(nonce)
                || !realm.equals(p.get("realm"))) {
            return false;
        }
        String algorithm = p.getOrDefault("algorithm", "MD5");
        if (!algorithm.equalsIgnoreCase("MD5")) {
            return false;
        }
        String ha1 = md5(credentials.username() + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String expected;
        if ("auth".equals(qop)) {
            String nc = p.get("nc");
            String cnonce = p.get("cnonce");
            if (nc == null || cnonce == null) {
                return false;
            }
            expected = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        } else if (qop == null) {
            expected = md5(ha1 + ":" + nonce + ":" + ha2);
        } else {
            return false;
        }
        return Secrets.constantTimeEquals(expected, response.toLowerCase(Locale.ROOT));
    }

    /**
     * Call once credentials verified: records their nonce count and says whether it is new. A Digest request
     * whose {@code nc} is not higher than one already accepted for that nonce (or a second use of a nonce
     * without qop, which has no count) is a replay, to be answered with a fresh challenge. Basic has no nonce.
     */
    public boolean firstUse(Credentials credentials) {
        if (!credentials.scheme().equals("digest")) {
            return true;
        }
        Map<String, String> p = credentials.params();
        String nc = p.get("qop") == null ? "1" : p.getOrDefault("nc", "");
        if (!NONCE_COUNT.matcher(nc).matches()) {
            return false;
        }
        String nonce = p.get("nonce");
        return counts.advance(nonce, issuedAt(nonce), Long.parseLong(nc, 16), clock.getAsLong());
    }

    private String newNonce() {
        String stamp = Long.toString(clock.getAsLong(), 36) + "." + HexFormat.of().formatHex(Secrets.randomBytes(6));
        return stamp + "." + sign(stamp);
    }

    private boolean nonceIsFresh(String nonce) {
        long age = nonceAge(nonce);
        return age >= -1000 && age <= NONCE_LIFETIME_MILLIS;
    }

    /** Digest credentials whose nonce we issued (signature holds) but which has expired. */
    public boolean isStale(Credentials credentials) {
        String nonce = credentials.scheme().equals("digest") ? credentials.params().get("nonce") : null;
        return nonce != null && nonceAge(nonce) > NONCE_LIFETIME_MILLIS;
    }

    /** How old a nonce we signed is, in ms; {@code Long.MIN_VALUE} for one we did not sign. */
    private long nonceAge(String nonce) {
        long issuedAt = issuedAt(nonce);
        return issuedAt == Long.MIN_VALUE ? Long.MIN_VALUE : clock.getAsLong() - issuedAt;
    }

    /** When we issued a nonce, or {@code Long.MIN_VALUE} for one we did not sign. */
    private long issuedAt(String nonce) {
        int last = nonce.lastIndexOf('.');
        if (last < 0) {
            return Long.MIN_VALUE;
        }
        String stamp = nonce.substring(0, last);
        if (!Secrets.constantTimeEquals(sign(stamp), nonce.substring(last + 1))) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(stamp.substring(0, stamp.indexOf('.')), 36);
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private String sign(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(nonceKey, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String md5(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> parseParams(String value) {
        Map<String, String> params = new HashMap<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == ',')) {
                i++;
            }
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String v;
            if (i < n && value.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && value.charAt(i) != '"') {
                    if (value.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    sb.append(value.charAt(i++));
                }
                i++;
                v = sb.toString();
            } else {
                int comma = value.indexOf(',', i);
                v = value.substring(i, comma < 0 ? n : comma).trim();
                i = comma < 0 ? n : comma;
            }
            params.put(name, v);
        }
        return params;
    }
}
