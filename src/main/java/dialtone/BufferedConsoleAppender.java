package dialtone;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dialtone.core.DaemonThreads;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The console of {@code logback.xml}: the lines the asynchronous appender hands on are written to standard output
 * through a buffer that is flushed every {@link #FLUSH_MILLIS} (and when logging stops), instead of one write
 * per line. In a boot storm, with one access line per phone request, that is one system call per buffer rather
 * than tens of thousands a second: the writer thread's CPU per answer was a sixth of Dialtone's (see README,
 * Benchmarks). A line reaches the console within {@code FLUSH_MILLIS}; a {@code kill -9} loses what is in the
 * buffer, as it loses what waits in the asynchronous queue.
 */
public final class BufferedConsoleAppender extends OutputStreamAppender<ILoggingEvent> {

    static final int BUFFER_BYTES = 64 * 1024;
    static final long FLUSH_MILLIS = 100;

    private ScheduledExecutorService flusher;

    @Override
    public void start() {
        setImmediateFlush(false);
        setOutputStream(new BufferedOutputStream(new StandardOutput(), BUFFER_BYTES));
        super.start();
        flusher = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("dialtone-log-flush"));
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
            flusher = null;
        }
        super.stop(); // closing the buffer flushes it; standard output itself stays open
    }

    private void flush() {
        streamWriteLock.lock();
        try {
            getOutputStream().flush();
        } catch (IOException e) {
            addError("could not write the log to standard output", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    /**
     * {@code System.out} as it is at each write (a test harness may replace it), handed whole buffers; closing
     * it only flushes: standard output outlives the appender (logging restarted, switched to JSON).
     */
    private static final class StandardOutput extends OutputStream {
        @Override
        public void write(int b) {
            System.out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            System.out.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            System.out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
