package dialtone.testing;

import java.util.concurrent.Callable;

/** Polls a condition that background work (the mail outbox) makes true; fails after a generous limit. */
public final class Await {

    private static final long LIMIT_MILLIS = 20_000;

    private Await() {}

    public static <T> T until(String what, Callable<T> probe, java.util.function.Predicate<T> done) throws Exception {
        long deadline = System.currentTimeMillis() + LIMIT_MILLIS;
        T value = probe.call();
        while (!done.test(value)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("gave up waiting for " + what + "; last value: " + value);
            }
            Thread.sleep(25);
            value = probe.call();
        }
        return value;
    }
}
