package dialtone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.testing.TestDialtone;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing Dialtone leaves nothing behind: no thread of its own and no listening port. */
class DialtoneCloseTest {

    @TempDir
    Path dir;

    private static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet();
    }

    private static boolean isDialtones(Thread thread) {
        return thread.getName().startsWith("dialtone");
    }

    @Test
    void afterCloseNoDialtoneThreadAndNoListeningPortSurvives() throws Exception {
        Set<Thread> before = threads();
        List<Integer> ports;
        Set<Thread> started;
        try (TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_PHONE_HTTP_PORT", "0"))) {
            ports = List.of(server.phonePort(), server.phoneHttpPort(), server.adminPort());
            assertThat(server.admin().get("/accounts").status()).isEqualTo(200);
            started = threads().stream().filter(t -> !before.contains(t)).collect(Collectors.toSet());
            assertThat(started).as("the running server has threads of its own").anyMatch(DialtoneCloseTest::isDialtones);
        }

        for (Thread thread : started) {
            if (isDialtones(thread)) {
                // close() has asked every pool to stop; a thread may still be unwinding its last task.
                thread.join(10_000);
            }
        }
        assertThat(threads()).filteredOn(Thread::isAlive).filteredOn(DialtoneCloseTest::isDialtones)
                .extracting(Thread::getName).isEmpty();
        assertThat(started).filteredOn(Thread::isAlive).filteredOn(t -> t.getName().contains("EventLoopGroup"))
                .as("the listeners' event loops").extracting(Thread::getName).isEmpty();
        for (int port : ports) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                }
            }).as("port %d is closed", port).isInstanceOf(ConnectException.class);
        }
    }
}
