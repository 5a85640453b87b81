package dialtone;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Times each phase of start-up and logs it as it ends, so a slow start says where its time went. */
final class StartupPhases {

    private static final Logger LOG = LoggerFactory.getLogger(StartupPhases.class);
    private final long started = System.nanoTime();
    private long last = started;
    private final long startCpu = cpuNanos();
    private long lastCpu = startCpu;
    private final List<String> phases = new ArrayList<>();

    /** The phase that just ended. */
    void done(String phase) {
        long now = System.nanoTime();
        long cpu = cpuNanos();
        long millis = (now - last) / 1_000_000;
        long cpuMillis = (cpu - lastCpu) / 1_000_000;
        last = now;
        lastCpu = cpu;
        synchronized (phases) {
            phases.add(phase + " " + millis);
        }
        LOG.info("start-up: {} took {} ms ({} ms of CPU)", phase, millis, cpuMillis);
    }

    /** This thread's CPU time: unlike the wall clock, it does not grow when other processes hold the cores. */
    private static long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
    }

    /** Starts a phase on a thread of its own, alongside the phases that follow; its time is logged when it ends. */
    <T> CompletableFuture<T> alongside(String phase, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            long start = System.nanoTime();
            try {
                T value = work.call();
                long millis = (System.nanoTime() - start) / 1_000_000;
                synchronized (phases) {
                    phases.add(phase + " " + millis + " (alongside)");
                }
                LOG.info("start-up: {} took {} ms ({} ms of CPU; alongside the other phases)", phase, millis,
                        cpuNanos() / 1_000_000);
                result.complete(value);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "dialtone-start");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** Waits for a phase started {@link #alongside}; its failure is thrown as it was thrown there. */
    <T> T join(CompletableFuture<T> phase) throws Exception {
        try {
            T value = phase.get();
            done("waiting for phases alongside");
            return value;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Every phase with its milliseconds, the total, and how long the JVM had been running before. */
    String summary() {
        long total = (System.nanoTime() - started) / 1_000_000;
        long jvm = ManagementFactory.getRuntimeMXBean().getUptime() - total;
        long processCpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1_000_000 : -1;
        synchronized (phases) {
            return total + " ms (" + String.join(", ", phases) + "; JVM start and configuration before that " + jvm
                    + " ms, of which this thread's CPU " + startCpu / 1_000_000 + " ms; the process has used "
                    + processCpu + " ms of CPU so far)";
        }
    }
}
