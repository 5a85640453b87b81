package dialtone.directory;

import static dialtone.store.generated.Tables.DEVICE;

import dialtone.core.DaemonThreads;
import dialtone.store.Database;
import java.net.InetAddress;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jooq.BatchBindStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last-seen records of proven devices, written in batches rather than one commit per phone request: in a
 * boot storm most of a request's cost was that commit. Only the latest sighting per device is kept, so
 * memory is bounded by the number of devices. Anyone reading devices calls {@link #flush()} first, so
 * readers never see an older record than the phones have produced.
 */
public final class LastSeenWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LastSeenWriter.class);

    /** One proven fetch: where from, what the User-Agent claimed, what was served. */
    record Sighting(String mac, OffsetDateTime at, String address, String userAgent, String model, String firmware,
                    String file, String etag, String baseUrl) {}

    private final Database db;
    private final Map<String, Sighting> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1,
            DaemonThreads.named("dialtone-last-seen"));

    public LastSeenWriter(Database db, long intervalMillis) {
        this.db = db;
        timer.scheduleWithFixedDelay(this::flushQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    public void record(String mac, InetAddress address, String userAgent, String model, String firmware, String file,
                String etag, String baseUrl) {
        pending.put(mac, new Sighting(mac, OffsetDateTime.now(), address.getHostAddress(), truncate(userAgent, 300),
                truncate(model, 60), truncate(firmware, 60), truncate(file, 200), etag, truncate(baseUrl, 300)));
    }

    /** Writes every pending sighting now, in one batch. */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Sighting> sightings = MacOrder.drain(pending);
        if (sightings.isEmpty()) {
            return;
        }
        db.inTransaction(tx -> {
            // One statement, rendered once, bound once per sighting (the values here only stand for the binds).
            BatchBindStep batch = tx.batch(tx.update(DEVICE)
                    .set(DEVICE.LAST_SEEN_AT, OffsetDateTime.now())
                    .set(DEVICE.LAST_SEEN_IP, "")
                    .set(DEVICE.LAST_USER_AGENT, "")
                    .set(DEVICE.LAST_MODEL, "")
                    .set(DEVICE.LAST_FIRMWARE, "")
                    .set(DEVICE.LAST_FILE, "")
                    .set(DEVICE.LAST_ETAG, "")
                    .set(DEVICE.LAST_BASE_URL, "")
                    .where(DEVICE.MAC.eq("")));
            for (Sighting s : sightings) {
                batch = batch.bind(s.at(), s.address(), s.userAgent(), s.model(), s.firmware(), s.file(), s.etag(),
                        s.baseUrl(), s.mac());
            }
            return batch.execute();
        });
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("last-seen records could not be written: {}", e.toString());
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        flushQuietly();
    }
}
