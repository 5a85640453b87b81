package dialtone;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console appender writes what queued in whole buffers, not line by line: every line arrives, in order,
 * within a few intervals; on stop, at once; and a full queue makes a logging thread wait rather than lose a line.
 */
class AsyncConsoleAppenderTest {

    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final AtomicInteger writes = new AtomicInteger();
    final LoggerContext context = new LoggerContext();
    PrintStream original;
    AsyncConsoleAppender appender;

    @BeforeEach
    void start() {
        original = System.out;
        // As the JVM's own: autoflush, so every write that reaches it is a write to the console.
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                console.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writes.incrementAndGet();
                console.write(bytes, offset, length);
            }
        }, true));
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender = new AsyncConsoleAppender();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
    }

    @AfterEach
    void restore() {
        appender.stop();
        System.setOut(original);
    }

    @Test
    void manyLinesAreWrittenInAFewWritesAllOfThemInOrderWithinTheFlushInterval() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            appender.doAppend(event("phone-request ip=10.0.0." + (i % 250) + " status=200 line=" + i));
            expected.append("phone-request ip=10.0.0.").append(i % 250).append(" status=200 line=").append(i).append('\n');
        }
        long deadline = System.currentTimeMillis() + 20 * AsyncConsoleAppender.INTERVAL_MILLIS;
        while (console.size() < expected.length() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }

        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(writes.get()).as("writes for 2,000 lines (about 110 KB)").isBetween(1, 10);
    }

    @Test
    void stoppingWritesWhatIsBufferedAndLeavesTheConsoleOpen() {
        appender.doAppend(event("the last line"));
        appender.stop();

        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("the last line\n");
        System.out.print("still open");
        assertThat(console.toString(StandardCharsets.UTF_8)).endsWith("still open");
    }

    @Test
    void moreLinesThanTheQueueHoldsAreAllWritten() throws Exception {
        int lines = AsyncConsoleAppender.QUEUE_SIZE * 3;
        for (int i = 0; i < lines; i++) {
            appender.doAppend(event("line " + i));
        }
        appender.stop();

        String[] written = console.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(written).hasSize(lines);
        assertThat(written[lines - 1]).isEqualTo("line " + (lines - 1));
    }

    private ILoggingEvent event(String message) {
        return new LoggingEvent(getClass().getName(), context.getLogger("dialtone.phone"), Level.INFO, message, null,
                null);
    }
}
