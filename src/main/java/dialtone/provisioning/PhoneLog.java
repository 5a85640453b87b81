package dialtone.provisioning;

import dialtone.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per phone request, in a fixed key=value form that fail2ban can match:
 * {@code phone-request ip=203.0.113.9 method=GET path=/0015654aa937.cfg status=401 mac=0015654aa937 reason=bad-credentials}.
 * Failures and refusals are WARN; a challenge (a 401 to a request that offered no proof, as every phone's
 * first request does, or whose nonce merely expired) is INFO, so a filter on WARN never bans an office that
 * reboots behind one address ({@code contrib/fail2ban/}). Never a secret and never a config body.
 */
final class PhoneLog {

    private static final Logger LOG = LoggerFactory.getLogger("dialtone.phone");

    private PhoneLog() {}

    static void log(Request request, int status, String mac, String reason) {
        log(request, status, mac, reason, status >= 400);
    }

    /** A 401 that asks for proof where none was offered: part of every phone's boot, not a failure. */
    static void challenged(Request request, String mac, String reason) {
        log(request, 401, mac, reason, false);
    }

    private static void log(Request request, int status, String mac, String reason, boolean failure) {
        String line = "phone-request ip={} method={} path={} status={} mac={} reason={}";
        Object[] args = {request.clientAddress().getHostAddress(), request.method(), clean(request.rawPath()), status,
                mac == null ? "-" : mac, reason == null ? "-" : reason};
        if (failure) {
            LOG.warn(line, args);
        } else {
            LOG.info(line, args);
        }
    }

    /** Keeps a hostile path from forging log lines or smuggling terminal escapes. */
    private static String clean(String path) {
        String shortened = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        StringBuilder out = new StringBuilder(shortened.length());
        for (char c : shortened.toCharArray()) {
            out.append(c < 0x21 || c > 0x7e ? '?' : c);
        }
        return out.toString();
    }
}
