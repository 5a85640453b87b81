package dialtone.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A phone's SIP stack on a loopback UDP port that answers every request with 200 OK, until closed. */
public final class SipResponder implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;

    public SipResponder() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = new Thread(this::answer, "sip-responder");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void answer() {
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                String request = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                byte[] ok = ok(request);
                socket.send(new DatagramPacket(ok, ok.length, packet.getSocketAddress()));
            }
        } catch (IOException closed) {
            // closed by the test
        }
    }

    /** 200 OK carrying the request's Via, From, To, Call-ID and CSeq, as RFC 3261 8.2.6 asks. */
    public static byte[] ok(String request) {
        StringBuilder out = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("To:")
                    || line.startsWith("Call-ID:") || line.startsWith("CSeq:")) {
                out.append(line).append("\r\n");
            }
        }
        return out.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        socket.close();
    }
}
