package dialtone.pbx;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** sipp (Debian sip-tester) as phones and as a gateway: scenarios written per use, one call each. */
final class Sipp {

    static final Path BINARY = Path.of("/usr/bin/sipp");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private final Path dir;
    private final int kamailioPort;

    Sipp(Path dir, int kamailioPort) {
        this.dir = dir;
        this.kamailioPort = kamailioPort;
    }

    /** A finished or running sipp. */
    record Run(Process process, Path log, Path messages) {
        /** Waits for the scenario to end; true when its one call succeeded. */
        boolean succeeded() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        }

        String trace() throws IOException {
            return (Files.exists(log) ? Files.readString(log) : "") + "\n--- messages ---\n"
                    + (Files.exists(messages) ? Files.readString(messages) : "");
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * REGISTERs {@code user@domain} with Contact on {@code contactPort}; the first REGISTER carries no credentials, each
     * later one answers the last challenge with {@code password}. {@code expected} are the responses, in order.
     */
    Run register(String user, String domain, String password, int contactPort, int... expected) throws Exception {
        StringBuilder xml = new StringBuilder(header("register"));
        for (int i = 0; i < expected.length; i++) {
            xml.append("<send retrans=\"500\"><![CDATA[\n")
                    .append("REGISTER sip:").append(domain).append(" SIP/2.0\n")
                    .append("Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n")
                    .append("From: <sip:").append(user).append('@').append(domain).append(">;tag=[pid]reg[call_number]\n")
                    .append("To: <sip:").append(user).append('@').append(domain).append(">\n")
                    .append("Call-ID: [call_id]\n")
                    .append("CSeq: ").append(i + 1).append(" REGISTER\n")
                    .append("Contact: <sip:").append(user).append("@127.0.0.1:").append(contactPort).append(">\n")
                    .append("Max-Forwards: 70\nExpires: 3600\n");
            if (i > 0) {
                xml.append("[authentication username=").append(user).append(" password=").append(password).append("]\n");
            }
            xml.append("Content-Length: 0\n\n]]></send>\n");
            xml.append("<recv response=\"").append(expected[i]).append('"')
                    .append(expected[i] == 401 ? " auth=\"true\"" : "").append("/>\n");
        }
        return run("register", xml.append("</scenario>\n").toString(), true, freeUdpPort());
    }

    /** Calls {@code target@domain} as {@code user} (answering the proxy challenge), then hangs up. */
    Run call(String user, String domain, String password, String target) throws Exception {
        String from = "<sip:" + user + "@" + domain + ">;tag=[pid]call[call_number]";
        String xml = header("call") + """
                <send retrans="500"><![CDATA[
                INVITE sip:%2$s@%3$s SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: %4$s
                To: <sip:%2$s@%3$s>
                Call-ID: [call_id]
                CSeq: 1 INVITE
                Contact: <sip:%1$s@[local_ip]:[local_port]>
                Max-Forwards: 70
                Content-Type: application/sdp
                Content-Length: [len]

                %5$s
                ]]></send>
                <recv response="100" optional="true"/>
                <recv response="407" auth="true"/>
                <send><![CDATA[
                ACK sip:%2$s@%3$s SIP/2.0
                [last_Via:]
                From: %4$s
                [last_To:]
                Call-ID: [call_id]
                CSeq: 1 ACK
                Max-Forwards: 70
                Content-Length: 0

                ]]></send>
                <send retrans="500"><![CDATA[
                INVITE sip:%2$s@%3$s SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: %4$s
                To: <sip:%2$s@%3$s>
                Call-ID: [call_id]
                CSeq: 2 INVITE
                Contact: <sip:%1$s@[local_ip]:[local_port]>
                [authentication username=%1$s password=%6$s]
                Max-Forwards: 70
                Content-Type: application/sdp
                Content-Length: [len]

                %5$s
                ]]></send>
                <recv response="100" optional="true"/>
                <recv response="180" optional="true"/>
                <recv response="200" rrs="true"/>
                <send><![CDATA[
                ACK [next_url] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: %4$s
                [last_To:]
                [routes]
                Call-ID: [call_id]
                CSeq: 2 ACK
                Max-Forwards: 70
                Content-Length: 0

                ]]></send>
                <send retrans="500"><![CDATA[
                BYE [next_url] SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                From: %4$s
                [last_To:]
                [routes]
                Call-ID: [call_id]
                CSeq: 3 BYE
                Max-Forwards: 70
                Content-Length: 0

                ]]></send>
                <recv response="200"/>
                </scenario>
                """.formatted(user, target, domain, from, SDP, password);
        return run("call", xml, true, freeUdpPort());
    }

    /**
     * Answers one call on {@code port}, failing unless its request line is {@code INVITE sip:<expectedUser>@...};
     * started before the call and awaited after it.
     */
    Run answer(int port, String expectedUser) throws Exception {
        String xml = header("answer") + """
                <recv request="INVITE" crlf="true">
                  <action>
                    <ereg regexp="^INVITE sip:%s@" search_in="msg" check_it="true" assign_to="1"/>
                  </action>
                </recv>
                <send><![CDATA[
                SIP/2.0 180 Ringing
                X-Called: [$1]
                [last_Via:]
                [last_From:]
                [last_To:];tag=[pid]answer[call_number]
                [last_Call-ID:]
                [last_CSeq:]
                [last_Record-Route:]
                Contact: <sip:[local_ip]:[local_port]>
                Content-Length: 0

                ]]></send>
                <send retrans="500"><![CDATA[
                SIP/2.0 200 OK
                [last_Via:]
                [last_From:]
                [last_To:];tag=[pid]answer[call_number]
                [last_Call-ID:]
                [last_CSeq:]
                [last_Record-Route:]
                Contact: <sip:[local_ip]:[local_port]>
                Content-Type: application/sdp
                Content-Length: [len]

                %s
                ]]></send>
                <recv request="ACK" crlf="true"/>
                <recv request="BYE"/>
                <send><![CDATA[
                SIP/2.0 200 OK
                [last_Via:]
                [last_From:]
                [last_To:]
                [last_Call-ID:]
                [last_CSeq:]
                Content-Length: 0

                ]]></send>
                </scenario>
                """.formatted(expectedUser.replace("+", "\\+"), SDP);
        return run("answer", xml, false, port);
    }

    private static final String SDP = """
            v=0
            o=dialtone 1 1 IN IP4 [local_ip]
            s=-
            c=IN IP4 [local_ip]
            t=0 0
            m=audio [media_port] RTP/AVP 0
            a=rtpmap:0 PCMU/8000""";

    private static String header(String name) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scenario name=\"" + name + "\">\n";
    }

    private Run run(String name, String scenario, boolean client, int port) throws Exception {
        int n = RUNS.incrementAndGet();
        Path file = dir.resolve(name + "-" + n + ".xml");
        Files.writeString(file, scenario);
        Path log = dir.resolve(name + "-" + n + ".out");
        Path messages = dir.resolve(name + "-" + n + ".messages");
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        if (client) {
            command.add("127.0.0.1:" + kamailioPort);
        }
        command.addAll(List.of("-sf", file.toString(), "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-mp", Integer.toString(freeUdpPort()), "-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error",
                "-trace_msg", "-message_file", messages.toString()));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new Run(process, log, messages);
    }
}
