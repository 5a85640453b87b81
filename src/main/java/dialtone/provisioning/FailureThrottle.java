package dialtone.provisioning;

import dialtone.config.DialtoneConfig;
import dialtone.server.Request;
import dialtone.server.Response;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * a scanner that never proves anything runs out of it. Both tables are bounded (least
 * recently used entries are dropped), and IPv6 sources are counted per /64, the block a host gets.
 */
public final class FailureThrottle {

    private static final byte[] REFUSED_BODY = "too many failed requests; try again later\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static final class Count {
        int challenges;
        int failures;
        long lastFailureAt;
        long refusedUntil;

    }

    private final DialtoneConfig.Throttle config;
    private final LongSupplier clock;
    private final Map<String, Count> sources;
    private final Map<String, Count> macs;

    public FailureThrottle(DialtoneConfig.Throttle config) {
        this(config, System::currentTimeMillis);
    }

    FailureThrottle(DialtoneConfig.Throttle config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.sources = bounded(config.maxTracked());
        this.macs = bounded(config.maxTracked());
    }

    private static Map<String, Count> bounded(int max) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Count> eldest) {
                return size() > max;
            }
        };
    }

    /** The refusal for a source that is over its budget (logged, one line per request), or null. */
    Response refusal(Request request) {
        long retryAfterSeconds;
        synchronized (this) {
            Count count = current(sources, sourceKey(request.clientAddress()), false);
            if (count == null || count.refusedUntil <= clock.getAsLong()) {
                return null;
            }
            retryAfterSeconds = Math.max(1, (count.refusedUntil - clock.getAsLong() + 999) / 1000);
        }
        PhoneLog.log(request, 429, null, "refused-too-many-failures");
        return Response.of(429, "text/plain; charset=utf-8", REFUSED_BODY).withHeader("Retry-After", retryAfterSeconds);
    }

    /** A request without any proof: counts until a success from the same source cancels it. */
    synchronized void challenged(InetAddress source) {
        Count count = current(sources, sourceKey(source), true);
        count.challenges++;
        touch(count);
    }

    /** A request whose proof failed (wrong password, foreign certificate, refused source...). */
    synchronized void failed(InetAddress source, String mac) {
        Count count = current(sources, sourceKey(source), true);
        count.failures++;
        touch(count);
        if (mac != null) {
            Count perMac = current(macs, mac, true);
            perMac.failures++;
            perMac.lastFailureAt = clock.getAsLong();
        }
    }

    /** A proven request: it adds nothing and cancels one outstanding challenge of its source. */
    synchronized void proven(InetAddress source) {
        Count count = current(sources, sourceKey(source), false);
        if (count != null && count.challenges > 0) {
            count.challenges--;
        }
    }

    /** How long to hold back a failure's answer: grows linearly from slow-after to refuse-after. */
    synchronized long delayMillis(InetAddress source, String mac) {
        Count bySource = current(sources, sourceKey(source), false);
        Count byMac = mac == null ? null : current(macs, mac, false);
        int score = Math.max(bySource == null ? 0 : bySource.failures, byMac == null ? 0 : byMac.failures);
        if (score < config.slowAfter()) {
            return 0;
        }
        long span = Math.max(1, config.refuseAfter() - config.slowAfter() + 1);
        return Math.min(config.maxDelayMillis(), config.maxDelayMillis() * (score - config.slowAfter() + 1) / span);
    }

    synchronized int trackedSources() {
        return sources.size();
    }

    synchronized int trackedMacs() {
        return macs.size();
    }

    private void touch(Count count) {
        long now = clock.getAsLong();
        count.lastFailureAt = now;
        boolean overBudget = count.failures >= config.refuseAfter() || count.challenges >= config.challengeBudget();
        if (overBudget && count.refusedUntil <= now) {
            count.refusedUntil = now + config.refuseSeconds() * 1000L;
        }
    }

    /** The entry for a key, reset when its window or refusal has run out; null when absent and not created. */
    private Count current(Map<String, Count> table, String key, boolean create) {
        Count count = table.get(key);
        long now = clock.getAsLong();
        if (count != null && count.refusedUntil <= now
                && (count.refusedUntil > 0 || now - count.lastFailureAt > config.windowSeconds() * 1000L)) {
            table.remove(key);
            count = null;
        }
        if (count == null && create) {
            count = new Count();
            table.put(key, count);
        }
        return count;
    }

    static String sourceKey(InetAddress address) {
        if (address instanceof Inet6Address) {
            return "v6:" + Arrays.toString(Arrays.copyOf(address.getAddress(), 8));
        }
        return address.getHostAddress();
    }
}
