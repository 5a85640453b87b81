package dialtone.server;

import dialtone.core.DaemonThreads;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The bounded pool where database and template work runs; full means 503, never a wait. */
public final class WorkerPool implements Executor, AutoCloseable {

    private final ThreadPoolExecutor executor;
    private final java.util.concurrent.atomic.LongAdder rejected = new java.util.concurrent.atomic.LongAdder();

    public WorkerPool(String name, int threads, int queueSize) {
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize),
                DaemonThreads.named(name + "-worker", true), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs the task later; throws RejectedExecutionException when the queue is full. */
    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException full) {
            rejected.increment();
            throw full;
        }
    }

    /** Tasks refused so far because the queue was full. */
    public long rejected() {
        return rejected.sum();
    }

    /** How many tasks wait for a free worker. */
    public int queued() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
