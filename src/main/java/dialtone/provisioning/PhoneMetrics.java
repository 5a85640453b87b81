package dialtone.provisioning;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The phone side's metrics, on the registry the management listener publishes: requests by family, kind of
 * file and status (with latency histograms), refusals by reason, throttle blocks, rendered-file cache lookups
 * and resync NOTIFYs by result. Every label takes a few known values: never a MAC, a path, a user or an address.
 */
final class PhoneMetrics {

    /** The label of a request that matched no family's path, or of a kind not known (yet). */
    static final String NONE = "none";

    /** Why a phone was refused (its answer is the same 401 for most of them; only the count tells them apart). */
    enum Refusal {
        /** No proof offered: every phone's first request, or a scanner's. */
        NO_PROOF,
        /** A Digest nonce expired or was used again: the phone is challenged afresh. */
        STALE_NONCE,
        /** Proof offered for a MAC no active device has at this path. */
        UNKNOWN_MAC,
        /** Proof offered and not accepted: wrong password, foreign certificate, scheme or source not allowed. */
        WRONG_PROOF,
        /** A file with secrets asked for over plain HTTP, or an account that does not allow plain HTTP. */
        PLAIN_HTTP,
        /** The source is over its failure budget (429). */
        THROTTLED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What one request was for, filled in as the handler learns it. */
    static final class Labels {
        String family = NONE;
        String file = NONE;

        void set(String family, String file) {
            this.family = family;
            this.file = file;
        }
    }

    /** What became of a resync NOTIFY. */
    enum NotifyResult { ACCEPTED, REJECTED, TIMEOUT, NOT_SENT }

    private final MeterRegistry registry;
    private record RequestKind(String family, String file, int status) {}

    private final Map<RequestKind, Timer> requests = new ConcurrentHashMap<>();
    private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);
    private final Map<NotifyResult, Counter> notifies = new EnumMap<>(NotifyResult.class);
    private final Counter throttleBlocks;
    private final Counter ownHits;
    private final Counter ownMisses;
    private final Counter commonHits;
    private final Counter commonMisses;

    PhoneMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Refusal refusal : Refusal.values()) {
            refusals.put(refusal, Counter.builder("dialtone_phone_refusals")
                    .description("Phone requests refused, by reason").tag("reason", refusal.label()).register(registry));
        }
        for (NotifyResult result : NotifyResult.values()) {
            notifies.put(result, Counter.builder("dialtone_resync_notifies")
                    .description("Resync NOTIFYs sent to phones, by result (accepted: a 2xx answer)")
                    .tag("result", result.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        throttleBlocks = Counter.builder("dialtone_phone_throttle_blocks")
                .description("Times a source address was refused for too many failures").register(registry);
        ownHits = lookups(registry, "own", "hit");
        ownMisses = lookups(registry, "own", "miss");
        commonHits = lookups(registry, "common", "hit");
        commonMisses = lookups(registry, "common", "miss");
    }

    /** Metrics that go nowhere (for parts built without the management listener, such as unit tests). */
    static PhoneMetrics none() {
        return new PhoneMetrics(new CompositeMeterRegistry());
    }

    private static Counter lookups(MeterRegistry registry, String file, String result) {
        return Counter.builder("dialtone_rendered_file_cache_lookups")
                .description("Rendered files looked up in memory: hit, or miss (rendered now)")
                .tag("file", file).tag("result", result).register(registry);
    }

    /** One phone request answered with {@code status}, {@code startNanos} ({@link System#nanoTime}) ago. */
    void answered(Labels labels, int status, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        requests.computeIfAbsent(new RequestKind(labels.family, labels.file, status), key -> Timer
                        .builder("dialtone_phone_requests")
                        .description("Phone requests answered, by family, kind of file and status")
                        .tag("family", labels.family).tag("file", labels.file).tag("status", Integer.toString(status))
                        .publishPercentileHistogram().register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void refused(Refusal refusal) {
        refusals.get(refusal).increment();
    }

    /** The refusal a 401's log reason stands for; {@code attempted}: whether any proof was offered. */
    static Refusal refusalFor(String reason, boolean attempted) {
        if (!attempted) {
            return DeviceProof.wantsFreshNonce(reason) ? Refusal.STALE_NONCE : Refusal.NO_PROOF;
        }
        if (reason.equals("unknown-mac") || reason.startsWith("device-model-unknown")
                || reason.startsWith("wrong-family-path")) {
            return Refusal.UNKNOWN_MAC;
        }
        return reason.equals("plain-http-not-allowed") ? Refusal.PLAIN_HTTP : Refusal.WRONG_PROOF;
    }

    void throttleBlocked() {
        throttleBlocks.increment();
    }

    /** A rendered file looked up: {@code own} (a device's) or common; found in memory or not. */
    void cacheLookup(boolean own, boolean hit) {
        (own ? (hit ? ownHits : ownMisses) : (hit ? commonHits : commonMisses)).increment();
    }

    void notified(NotifyResult result) {
        notifies.get(result).increment();
    }
}
