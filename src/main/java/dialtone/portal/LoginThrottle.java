package dialtone.portal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins counted per username and per source address: past {@code slowAfter} the answers come later
 * (doubling, at most {@link #MAX_DELAY_MILLIS}); past {@code refuseAfter} every login for that username or from
 * that source is refused for {@code refuseMillis}, right or wrong. A username is counted whether or not it exists,
 * so the throttle tells nothing either. Memory is bounded: the least recently failed keys are forgotten first.
 */
final class LoginThrottle {

    static final long MAX_DELAY_MILLIS = 5_000;
    private static final int MAX_TRACKED = 50_000;
    private final int slowAfter;
    private final int refuseAfter;
    private final long refuseMillis;
    private final Clock clock;
    private final Map<String, Failures> failures = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    private static final class Failures {
        int count;
        long lastAt;
        long refusedUntil;
    }

    LoginThrottle(int slowAfter, int refuseAfter, long refuseMillis, Clock clock) {
        this.slowAfter = slowAfter;
        this.refuseAfter = refuseAfter;
        this.refuseMillis = refuseMillis;
        this.clock = clock;
    }

    /** Whether logins for this username or from this source are refused now. */
    synchronized boolean refused(String username, String source) {
        long now = clock.millis();
        return refusedNow(key("u", username), now) || refusedNow(key("s", source), now);
    }

    /** Counts a failure; returns how long to hold the answer back. */
    synchronized long failed(String username, String source) {
        long now = clock.millis();
        int count = Math.max(count(key("u", username), now), count(key("s", source), now));
        if (count <= slowAfter) {
            return 0;
        }
        return Math.min(MAX_DELAY_MILLIS, 250L << Math.min(10, count - slowAfter - 1));
    }

    /** A success forgets the username's failures (never the source's: a guesser may own one account). */
    synchronized void succeeded(String username) {
        failures.remove(key("u", username));
    }

    private boolean refusedNow(String key, long now) {
        Failures f = failures.get(key);
        return f != null && f.refusedUntil > now;
    }

    private int count(String key, long now) {
        Failures f = failures.computeIfAbsent(key, k -> new Failures());
        if (f.refusedUntil != 0 && f.refusedUntil <= now) {
            f.count = 0;
            f.refusedUntil = 0;
        } else if (now - f.lastAt > refuseMillis) {
            f.count = 0;
        }
        f.count++;
        f.lastAt = now;
        if (f.count >= refuseAfter) {
            f.refusedUntil = now + refuseMillis;
        }
        return f.count;
    }

    private static String key(String kind, String value) {
        return kind + ":" + (value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT));
    }
}
