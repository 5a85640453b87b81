package dialtone.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A free local port, for a server that must be started later than its clients are configured. */
public final class Ports {

    private Ports() {}

    public static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
