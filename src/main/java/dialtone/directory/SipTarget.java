package dialtone.directory;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a NOTIFY goes: {@code sip:user@host:port}, parsed from a contact URI or built from an address. */
public record SipTarget(String user, String host, int port) {

    private static final Pattern SIP_URI = Pattern.compile(
            "<?sips?:(?:([A-Za-z0-9._~!$&'()*+,;=%-]+)@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(?::(\\d{1,5}))?(?:;[^>]*)?>?");

    /** Parses a SIP URI such as {@code sip:ada@192.0.2.10:5062;transport=udp}; empty when it is not one. */
    public static Optional<SipTarget> parse(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        Matcher m = SIP_URI.matcher(uri.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = m.group(3) == null ? 5060 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        return Optional.of(new SipTarget(m.group(1), host, port));
    }

    public String requestUri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "sip:" + (user == null ? "" : user + "@") + h + ":" + port;
    }

    public String toUri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "<sip:" + (user == null ? "" : user + "@") + h + ">";
    }
}
