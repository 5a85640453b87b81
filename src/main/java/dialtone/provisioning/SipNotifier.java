package dialtone.provisioning;

import dialtone.directory.SipTarget;
import dialtone.security.Secrets;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Sends one SIP NOTIFY (e.g. {@code Event: check-sync}) over UDP as an RFC 3261 non-INVITE client
 * transaction: retransmit after T1, doubling up to T2 (T2 = 8 x T1), at T2 once a provisional answer
 * came, until a final response or Timer F (64 x T1) fires.
 */
public final class SipNotifier {

    /** The outcome: the final status code (0 on timeout) and when each transmission left, in ms from the first. */
    public record Outcome(int status, String reason, List<Long> sentAtMillis) {
        public boolean timedOut() {
            return status == 0;
        }
    }

    private static final java.util.regex.Pattern BRANCH = java.util.regex.Pattern.compile(";\\s*branch=([^;,\\s]+)");
    private final long t1Millis;

    public SipNotifier(long t1Millis) {
        this.t1Millis = t1Millis;
    }

    /** Sends to {@code address} (never looked up here: the caller has judged it) on the target's port. */
    public Outcome notify(SipTarget target, InetAddress address, String event) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(0))) {
            try {
                socket.connect(address, target.port());
            } catch (java.io.UncheckedIOException unreachable) {
                // No route to the phone ("Network is unreachable"): the JDK reports it unchecked here.
                throw unreachable.getCause();
            }
            String text = request(target, event, socket);
            byte[] request = text.getBytes(StandardCharsets.UTF_8);
            String callId = callIdOf(text);
            String branch = branchOf(text);
            long start = System.nanoTime();
            long timerF = 64 * t1Millis;
            long t2 = 8 * t1Millis;
            long interval = t1Millis;
            long nextSend = 0;
            List<Long> sent = new ArrayList<>();
            byte[] buffer = new byte[4096];
            while (true) {
                long now = elapsed(start);
                if (now >= timerF) {
                    return new Outcome(0, "timeout", sent);
                }
                if (now >= nextSend) {
                    socket.send(new DatagramPacket(request, request.length));
                    sent.add(now);
                    nextSend = now + interval;
                    interval = Math.min(interval * 2, t2);
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(nextSend, timerF) - elapsed(start)));
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    String response = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                    int status = statusOf(response);
                    // RFC 3261 17.1.3: a response belongs to this transaction by its Via branch and CSeq method.
                    if (status < 100 || !callId.equals(callIdOf(response)) || !branch.equals(branchOf(response))
                            || !header(response, "CSeq").endsWith(" NOTIFY")) {
                        continue;
                    }
                    if (status >= 200) {
                        return new Outcome(status, reasonOf(response), sent);
                    }
                    interval = t2;
                    nextSend = elapsed(start) + t2;
                } catch (SocketTimeoutException next) {
                    // time to retransmit, or Timer F
                } catch (java.net.PortUnreachableException unreachable) {
                    // ICMP port unreachable on a connected socket: keep trying until Timer F, as UDP may recover
                }
            }
        }
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String request(SipTarget target, String event, DatagramSocket socket) {
        String local = socket.getLocalAddress().isAnyLocalAddress() ? "127.0.0.1" : socket.getLocalAddress().getHostAddress();
        if (local.contains(":")) {
            local = "[" + local + "]";
        }
        String hex = HexFormat.of().formatHex(Secrets.randomBytes(8));
        return "NOTIFY " + target.requestUri() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ":" + socket.getLocalPort() + ";branch=z9hG4bK" + hex + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:dialtone@" + local + ">;tag=" + hex.substring(0, 8) + "\r\n"
                + "To: " + target.toUri() + "\r\n"
                + "Call-ID: " + hex + "@dialtone\r\n"
                + "CSeq: 1 NOTIFY\r\n"
                + "Contact: <sip:dialtone@" + local + ":" + socket.getLocalPort() + ">\r\n"
                + "Event: " + event + "\r\n"
                + "Subscription-State: terminated\r\n"
                + "User-Agent: Dialtone\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static int statusOf(String response) {
        if (!response.startsWith("SIP/2.0 ") || response.length() < 11) {
            return -1;
        }
        try {
            return Integer.parseInt(response.substring(8, 11));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String reasonOf(String response) {
        int end = response.indexOf('\r');
        return end > 12 ? response.substring(12, end) : "";
    }

    static String callIdOf(String message) {
        String value = header(message, "Call-ID");
        return value.isEmpty() ? header(message, "i") : value;
    }

    /** The branch parameter of the top Via (phones add received/rport to it, but keep the branch). */
    static String branchOf(String message) {
        java.util.regex.Matcher m = BRANCH.matcher(header(message, "Via"));
        return m.find() ? m.group(1) : "";
    }

    /** The first value of a header (name case-insensitive), or "" when absent. */
    static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }
}
