package dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A listener owns its port: on epoll every event loop listens on it ({@code SO_REUSEPORT}), and a second server
 * started on the same port by mistake must still fail instead of silently taking part of the connections.
 */
class ListeningPortTest {

    private static final ServerLimits LIMITS = new ServerLimits(5000, 5000, 1024, 1 << 20, 1000);
    private static final RequestHandler OK = request -> Response.of(200, "text/plain", "ok".getBytes());

    @Test
    void aSecondServerOnTheSamePortFailsAndTheFirstKeepsEveryConnection() throws Exception {
        try (WorkerPool pool = new WorkerPool("test", 1, 10);
             HttpServer first = start(0, pool)) {
            assertThatThrownBy(() -> start(first.port(), pool)).isInstanceOf(Exception.class);

            for (int i = 0; i < 40; i++) {
                assertThat(statusLine(first.port())).isEqualTo("HTTP/1.1 200 OK");
            }
        }
    }

    @Test
    void aPortHeldByAnotherProgramIsRefused() throws Exception {
        try (ServerSocket other = new ServerSocket(0);
             WorkerPool pool = new WorkerPool("test", 1, 10)) {
            assertThatThrownBy(() -> start(other.getLocalPort(), pool)).isInstanceOf(Exception.class);
        }
    }

    @Test
    void aStoppedServerFreesItsPortForTheNextOne() throws Exception {
        try (WorkerPool pool = new WorkerPool("test", 1, 10)) {
            int port;
            try (HttpServer first = start(0, pool)) {
                port = first.port();
                first.stopAccepting();
                assertThat(first.isOpen()).isFalse();
            }
            try (HttpServer next = start(port, pool)) {
                assertThat(statusLine(port)).isEqualTo("HTTP/1.1 200 OK");
            }
        }
    }

    private static HttpServer start(int port, WorkerPool pool) throws InterruptedException {
        return HttpServer.start("test", "127.0.0.1", port, null, LIMITS, OK, pool, new ClientAddresses(List.of()));
    }

    /** One request on a connection of its own. */
    private static String statusLine(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
