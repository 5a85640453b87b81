package dialtone.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Readiness: named checks, each answering null when all is well or why it is not, plus the draining flag set
 * when the process is asked to stop. Liveness needs no check: an answer proves the process runs.
 */
public final class Health {

    private final Map<String, Supplier<String>> checks = new LinkedHashMap<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** Adds a readiness check; {@code failure} returns null when ready, else the reason. */
    public synchronized Health check(String name, Supplier<String> failure) {
        checks.put(name, failure);
        return this;
    }

    /** From now on the instance reports itself not ready, so load balancers send it nothing new. */
    public void drain() {
        draining.set(true);
    }

    public boolean draining() {
        return draining.get();
    }

    /** Every check with its result: "ok", or the reason it failed. */
    public synchronized Map<String, String> ready() {
        Map<String, String> results = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<String>> check : checks.entrySet()) {
            String failure;
            try {
                failure = check.getValue().get();
            } catch (RuntimeException e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            results.put(check.getKey(), failure == null ? "ok" : failure);
        }
        results.put("draining", draining.get() ? "the process is stopping" : "ok");
        return results;
    }
}
