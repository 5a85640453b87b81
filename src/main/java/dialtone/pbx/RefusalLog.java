package dialtone.pbx;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a refused SIP server once per source address and quiet period, not once per request: a misconfigured
 * Kamailio retrying every REGISTER of a thousand phones must not flood the log. Memory is bounded.
 */
final class RefusalLog {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);
    private static final int MAX_SOURCES = 10_000;
    private final long quietNanos;
    private final Map<InetAddress, Long> lastLogged = new ConcurrentHashMap<>();

    RefusalLog(long quietMillis) {
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(quietMillis);
    }

    void refused(InetAddress source, PbxTokens.Refusal reason) {
        long now = System.nanoTime();
        if (lastLogged.size() >= MAX_SOURCES) {
            lastLogged.clear();
        }
        boolean[] first = {false};
        lastLogged.compute(source, (address, last) -> {
            if (last == null || now - last >= quietNanos) {
                first[0] = true;
                return now;
            }
            return last;
        });
        if (first[0]) {
            LOG.warn("pbx-refused ip={} reason={} status=401 (further refusals from this address are not logged"
                    + " for {} s)", source.getHostAddress(), reason.name().toLowerCase(java.util.Locale.ROOT),
                    TimeUnit.NANOSECONDS.toSeconds(quietNanos));
        }
    }
}
