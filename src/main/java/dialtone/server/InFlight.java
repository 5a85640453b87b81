package dialtone.server;

/** Requests a listener has started and not yet answered; stopping waits (bounded) until there are none. */
final class InFlight {

    private int count;

    synchronized void begin() {
        count++;
    }

    synchronized void end() {
        count--;
        if (count <= 0) {
            notifyAll();
        }
    }

    synchronized int count() {
        return count;
    }

    /** Waits until nothing is in flight or {@code deadlineNanos} (a {@link System#nanoTime} value) passes. */
    synchronized boolean awaitNone(long deadlineNanos) throws InterruptedException {
        while (count > 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
