package dialtone.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build's leak guard works: a buffer dropped unreleased is reported as a LEAK that would fail its class. */
class NettyLeakDetectionTest {

    @Test
    void theSuiteRunsWithTheLeakDetectorAtParanoid() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void aBufferDroppedWithoutReleaseIsReported() throws Exception {
        dropOne();

        List<String> reports = Await.until("the detector's LEAK report", FailOnNettyLeak::collectReports,
                found -> !found.isEmpty());

        assertThat(reports).anyMatch(r -> r.contains("LEAK: ByteBuf.release() was not called"));
    }

    private static void dropOne() {
        List<ByteBuf> kept = new ArrayList<>();
        ByteBuf dropped = ByteBufAllocator.DEFAULT.buffer(32);
        dropped.writeInt(42);
        kept.add(dropped);
        kept.clear();
    }
}
