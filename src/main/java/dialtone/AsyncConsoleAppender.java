package dialtone;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The console of {@code logback.xml}. A thread that logs only queues its line; one writer thread takes what has
 * queued every {@link #INTERVAL_MILLIS}, formats it, and writes it to standard output in one go. Nothing is dropped:
 * when {@link #QUEUE_SIZE} lines wait, a logging thread waits for room. Stopping writes everything queued.
 *
 * <p>Why not Logback's {@code AsyncAppender} and {@code ConsoleAppender}: their writer waits on the queue and is
 * woken for nearly every line, then writes that one line, so in a boot storm (one access line per phone request)
 * the writer thread cost 8 of Dialtone's 46 microseconds of CPU per answer (see README, Benchmarks). Here nobody
 * waits on the queue: a line costs its thread one offer, and the writer a share of one write per interval.
 */
public final class AsyncConsoleAppender extends OutputStreamAppender<ILoggingEvent> {

    static final int QUEUE_SIZE = 8192;
    static final long INTERVAL_MILLIS = 50;
    private static final int BUFFER_BYTES = 64 * 1024;

    private BlockingQueue<ILoggingEvent> queue;
    private Thread writer;
    /** Set by {@link #stop}: the writer writes what is queued and ends; lines logged meanwhile are written at once. */
    private volatile boolean stopping;

    @Override
    public void start() {
        setImmediateFlush(false);
        setOutputStream(new BufferedOutputStream(new StandardOutput(), BUFFER_BYTES));
        queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
        stopping = false;
        super.start();
        if (isStarted()) {
            // Logging's own thread, not a Dialtone instance's: it lives as long as logging does.
            writer = new Thread(this::writeUntilStopped, "console-writer");
            writer.setDaemon(true);
            writer.start();
        }
    }

    /** Queues the line; its message, thread name and MDC are taken now, on the logging thread. */
    @Override
    protected void append(ILoggingEvent event) {
        if (stopping) {
            subAppend(event);
            return;
        }
        event.prepareForDeferredProcessing();
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        stopping = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeQueued(new ArrayList<>()); // a line queued as the writer took its last batch
        super.stop(); // closing the buffer flushes it; standard output itself stays open
    }

    private void writeUntilStopped() {
        List<ILoggingEvent> batch = new ArrayList<>();
        while (!stopping) {
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException stopped) {
                break;
            }
            writeQueued(batch);
        }
        writeQueued(batch);
    }

    /** Writes what has queued, in one go. */
    private void writeQueued(List<ILoggingEvent> batch) {
        queue.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        batch.forEach(this::subAppend);
        batch.clear();
        flush();
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
