package dialtone.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads for Dialtone's background executors, so none of them keeps the JVM alive. */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Threads called {@code name}, or {@code name-1}, {@code name-2}... when {@code numbered}. */
    public static ThreadFactory named(String name, boolean numbered) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? name + "-" + count.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    public static ThreadFactory named(String name) {
        return named(name, false);
    }
}
