package dialtone.provisioning;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dialtone.config.DialtoneConfig;
import dialtone.server.Request;
import dialtone.server.Response;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Counts failed phone requests per source address and per MAC, and answers for the phone listener:
 * past {@code slow-after} a source's failures are answered later and later, past {@code refuse-after}
 * the source is refused, on every path alike, for {@code refuse-seconds}. Per MAC, failures only slow
 * the answers down: refusing a MAC would let anyone lock a phone out.
 *
 * <p>Successes never count. A phone's first, credential-less request is a "challenge": it counts against
 * its own, much larger budget ({@code challenge-budget}), and the same source's next success cancels one,
 * so a whole office booting behind one NAT address stays within budget (and is never slowed down) while
 * a scanner that never proves anything runs out of it. Both tables are bounded ({@code max-tracked}; the
 * entries least likely to be asked for again are dropped), and IPv6 sources are counted per /64, the
 * block a host gets.
 *
 * <p>No lock is shared between requests: the success path (the refusal check, a proven request) reads
 * without locking, and an update locks only its own entry.
 */
public final class FailureThrottle {

    private static final byte[] REFUSED_BODY = "too many failed requests; try again later\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** One source's or MAC's counts; changed only inside its table's atomic per-key update. */
    private static final class Count {
        volatile int challenges;
        volatile int failures;
        volatile long lastFailureAt;
        volatile long refusedUntil;
    }

    private final DialtoneConfig.Throttle config;
    private final LongSupplier clock;
    private final Cache<String, Count> sources;
    private final Cache<String, Count> macs;
    private final Runnable blocked;

    /** @param blocked told each time a source starts being refused (on the request's thread; must be quick) */
    public FailureThrottle(DialtoneConfig.Throttle config, Runnable blocked) {
        this(config, System::currentTimeMillis, blocked);
    }

    FailureThrottle(DialtoneConfig.Throttle config, LongSupplier clock) {
        this(config, clock, () -> {});
    }

    FailureThrottle(DialtoneConfig.Throttle config, LongSupplier clock, Runnable blocked) {
        this.config = config;
        this.clock = clock;
        this.blocked = blocked;
        this.sources = bounded(config.maxTracked());
        this.macs = bounded(config.maxTracked());
    }

    /** Evicts on the calling thread, so the throttle starts no thread of its own. */
    private static Cache<String, Count> bounded(int max) {
        return Caffeine.newBuilder().maximumSize(max).executor(Runnable::run).build();
    }

    /** The refusal for a source that is over its budget (logged, one line per request), or null. */
    Response refusal(Request request) {
        Count count = current(sources, sourceKey(request.clientAddress()));
        long now = clock.getAsLong();
        long refusedUntil = count == null ? 0 : count.refusedUntil;
        if (refusedUntil <= now) {
            return null;
        }
        long retryAfterSeconds = Math.max(1, (refusedUntil - now + 999) / 1000);
        PhoneLog.log(request, 429, null, "refused-too-many-failures");
        return Response.of(429, "text/plain; charset=utf-8", REFUSED_BODY).withHeader("Retry-After", retryAfterSeconds);
    }

    /** A request without any proof: counts until a success from the same source cancels it. */
    void challenged(InetAddress source) {
        sources.asMap().compute(sourceKey(source), (key, found) -> {
            Count count = fresh(found);
            count.challenges++;
            touch(count);
            return count;
        });
    }

    /** A request whose proof failed (wrong password, foreign certificate, refused source...). */
    void failed(InetAddress source, String mac) {
        sources.asMap().compute(sourceKey(source), (key, found) -> {
            Count count = fresh(found);
            count.failures++;
            touch(count);
            return count;
        });
        if (mac != null) {
            macs.asMap().compute(mac, (key, found) -> {
                Count perMac = fresh(found);
                perMac.failures++;
                perMac.lastFailureAt = clock.getAsLong();
                return perMac;
            });
        }
    }

    /** A proven request: it adds nothing and cancels one outstanding challenge of its source. */
    void proven(InetAddress source) {
        String key = sourceKey(source);
        Count seen = current(sources, key);
        if (seen == null || seen.challenges == 0) {
            return;
        }
        sources.asMap().computeIfPresent(key, (k, count) -> {
            if (stale(count, clock.getAsLong())) {
                return null;
            }
            if (count.challenges > 0) {
                count.challenges--;
            }
            return count;
        });
    }

    /** How long to hold back a failure's answer: grows linearly from slow-after to refuse-after. */
    long delayMillis(InetAddress source, String mac) {
        Count bySource = current(sources, sourceKey(source));
        Count byMac = mac == null ? null : current(macs, mac);
        int score = Math.max(bySource == null ? 0 : bySource.failures, byMac == null ? 0 : byMac.failures);
        if (score < config.slowAfter()) {
            return 0;
        }
        long span = Math.max(1, config.refuseAfter() - config.slowAfter() + 1);
        return Math.min(config.maxDelayMillis(), config.maxDelayMillis() * (score - config.slowAfter() + 1) / span);
    }

    int trackedSources() {
        sources.cleanUp();
        return (int) sources.estimatedSize();
    }

    int trackedMacs() {
        macs.cleanUp();
        return (int) macs.estimatedSize();
    }

    private void touch(Count count) {
        long now = clock.getAsLong();
        count.lastFailureAt = now;
        boolean overBudget = count.failures >= config.refuseAfter() || count.challenges >= config.challengeBudget();
        if (overBudget && count.refusedUntil <= now) {
            count.refusedUntil = now + config.refuseSeconds() * 1000L;
            blocked.run();
        }
    }

    /** Inside an update: the entry found, or a new one when there was none or its window or refusal ran out. */
    private Count fresh(Count found) {
        return found == null || stale(found, clock.getAsLong()) ? new Count() : found;
    }

    /** The live entry for a key, without locking; a run-out one is dropped (only if unchanged) and reads as absent. */
    private Count current(Cache<String, Count> table, String key) {
        Count count = table.getIfPresent(key);
        if (count != null && stale(count, clock.getAsLong())) {
            ConcurrentMap<String, Count> map = table.asMap();
            map.remove(key, count);
            return null;
        }
        return count;
    }

    /** Whether a count's refusal has run out, or (never refused) its last failure is older than the window. */
    private boolean stale(Count count, long now) {
        return count.refusedUntil <= now
                && (count.refusedUntil > 0 || now - count.lastFailureAt > config.windowSeconds() * 1000L);
    }

    static String sourceKey(InetAddress address) {
        if (address instanceof Inet6Address) {
            return "v6:" + Arrays.toString(Arrays.copyOf(address.getAddress(), 8));
        }
        return address.getHostAddress();
    }
}
