package dialtone.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class when Netty's leak detector reports a LEAK while it ran (registered for every class
 * through the JUnit extension service file). After each class it collects garbage and allocates, which makes
 * the detector report what was dropped unreleased; the report fails that class, and so the build.
 */
public final class FailOnNettyLeak implements BeforeAllCallback, AfterAllCallback {

    private static final Reports REPORTS = new Reports();

    static {
        Logger detector = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        if (detector.getLevel() == null || !detector.isEnabledFor(Level.ERROR)) {
            detector.setLevel(Level.ERROR);
        }
        REPORTS.start();
        detector.addAppender(REPORTS);
    }

    /** Keeps every LEAK line the detector logs until a class's end looks at them. */
    private static final class Reports extends AppenderBase<ILoggingEvent> {
        private final List<String> leaks = new ArrayList<>();

        @Override
        protected synchronized void append(ILoggingEvent event) {
            if (event.getFormattedMessage().contains("LEAK")) {
                leaks.add(event.getFormattedMessage());
            }
        }

        synchronized List<String> drain() {
            List<String> out = List.copyOf(leaks);
            leaks.clear();
            return out;
        }
    }

    /** Makes the detector look for dropped buffers now: a collection, then allocations that poll its queue. */
    public static List<String> collectReports() {
        System.gc();
        for (int i = 0; i < 16; i++) {
            ByteBufAllocator.DEFAULT.buffer(16).release();
            Unpooled.directBuffer(16).release();
        }
        return REPORTS.drain();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        List<String> earlier = REPORTS.drain();
        if (!earlier.isEmpty()) {
            throw new AssertionError("Netty reported a leak before " + context.getDisplayName() + ":\n"
                    + String.join("\n", earlier));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collectReports();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) while " + context.getDisplayName()
                    + " ran:\n" + String.join("\n", leaks));
        }
    }
}
