package dialtone.directory;

import dialtone.core.Mac;

import static dialtone.store.generated.Tables.DEVICE;
import static dialtone.store.generated.Tables.DISCOVERED_DEVICE;

import dialtone.core.DaemonThreads;
import dialtone.core.Problem;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.DiscoveredDeviceRecord;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unknown devices seen asking for their files, kept in a bounded table (the least recently seen are
 * evicted first). Sightings are gathered in memory, the latest per MAC with a count, and written by one
 * background thread every {@link #FLUSH_MILLIS} in one transaction: a flood of unknown requests costs at most
 * one commit per interval, however fast it comes, and bounded memory ({@code maxPending} MACs wait at once;
 * sightings of further MACs are dropped until the next write). An unknown MAC is answered exactly as fast as
 * a known one. Readers write what is pending first, so they never miss a sighting already made. A batch the
 * database refuses is dropped and logged: sightings are observations, and the device will ask again.
 */
public final class DiscoveredDeviceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveredDeviceService.class);
    static final long FLUSH_MILLIS = 2_000;
    static final int MAX_PENDING = 10_000;

    /** The latest sighting of one MAC since the last write, and how many there were. */
    private record Pending(DiscoveredDevice latest, OffsetDateTime at, long count) {
        Pending and(Pending next) {
            return new Pending(next.latest, next.at, count + next.count);
        }
    }

    private final Database db;
    private final int capacity;
    private final int maxPending;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer = new ScheduledThreadPoolExecutor(1,
            DaemonThreads.named("dialtone-discovered"));

    public DiscoveredDeviceService(Database db, int capacity) {
        this(db, capacity, MAX_PENDING, FLUSH_MILLIS);
    }

    DiscoveredDeviceService(Database db, int capacity, int maxPending, long flushMillis) {
        this.db = db;
        this.capacity = capacity;
        this.maxPending = maxPending;
        writer.scheduleWithFixedDelay(this::flushQuietly, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    /** Notes a sighting, written with the next batch; dropped when {@code maxPending} other MACs already wait. */
    public void record(DiscoveredDevice sighting) {
        if (pending.size() >= maxPending && !pending.containsKey(sighting.mac())) {
            return;
        }
        pending.merge(sighting.mac(), new Pending(sighting, OffsetDateTime.now(), 1), Pending::and);
    }

    /** Writes every pending sighting now, in one transaction. */
    public synchronized void flush() {
        List<Pending> batch = MacOrder.drain(pending);
        if (batch.isEmpty()) {
            return;
        }
        if (db.inTransaction(tx -> store(tx, batch))) {
            evictBeyondCapacity();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("discovered devices could not be recorded: {}", e.toString());
        }
    }

    /**
     * Stores a batch of MACs' sightings in at most four statements however many there are: which are devices,
     * which are already in the table, then one update and one insert, each rendered once and bound per MAC.
     * The count is added in the database, so two instances adding to one MAC's row both count.
     * True when some MAC is new to the table.
     */
    private static boolean store(DSLContext tx, List<Pending> batch) {
        List<String> macs = batch.stream().map(p -> p.latest().mac()).toList();
        // A retired or replaced handset still booting is known, not discovered.
        Set<String> known = new HashSet<>(tx.select(DEVICE.MAC).from(DEVICE).where(DEVICE.MAC.in(macs))
                .fetch(DEVICE.MAC));
        Set<String> stored = new HashSet<>(tx.select(DISCOVERED_DEVICE.MAC).from(DISCOVERED_DEVICE)
                .where(DISCOVERED_DEVICE.MAC.in(macs)).fetch(DISCOVERED_DEVICE.MAC));
        OffsetDateTime placeholder = OffsetDateTime.now();
        // The values written here only stand for the binds, in the statement's order.
        BatchBindStep updates = tx.batch(tx.update(DISCOVERED_DEVICE)
                .set(DISCOVERED_DEVICE.FAMILY, "").set(DISCOVERED_DEVICE.MODEL, "")
                .set(DISCOVERED_DEVICE.UA_MODEL, "").set(DISCOVERED_DEVICE.FIRMWARE, "")
                .set(DISCOVERED_DEVICE.USER_AGENT, "").set(DISCOVERED_DEVICE.LAST_IP, "")
                .set(DISCOVERED_DEVICE.LAST_SEEN_AT, placeholder)
                .set(DISCOVERED_DEVICE.REQUEST_COUNT, DISCOVERED_DEVICE.REQUEST_COUNT.plus(0L))
                .where(DISCOVERED_DEVICE.MAC.eq("")));
        BatchBindStep inserts = tx.batch(tx.insertInto(DISCOVERED_DEVICE, DISCOVERED_DEVICE.FAMILY,
                        DISCOVERED_DEVICE.MODEL, DISCOVERED_DEVICE.UA_MODEL, DISCOVERED_DEVICE.FIRMWARE,
                        DISCOVERED_DEVICE.USER_AGENT, DISCOVERED_DEVICE.LAST_IP, DISCOVERED_DEVICE.LAST_SEEN_AT,
                        DISCOVERED_DEVICE.REQUEST_COUNT, DISCOVERED_DEVICE.MAC, DISCOVERED_DEVICE.FIRST_SEEN_AT)
                .values("", "", "", "", "", "", placeholder, 0L, "", placeholder));
        int updated = 0;
        int inserted = 0;
        for (Pending p : batch) {
            DiscoveredDevice s = p.latest();
            if (known.contains(s.mac())) {
                continue;
            }
            Object[] values = {s.family(), s.model(), truncate(s.userAgentModel(), 60), truncate(s.firmware(), 60),
                    truncate(s.userAgent(), 300), s.address(), p.at(), p.count(), s.mac()};
            if (stored.contains(s.mac())) {
                updates = updates.bind(values);
                updated++;
            } else {
                Object[] withFirstSeen = Arrays.copyOf(values, values.length + 1);
                withFirstSeen[values.length] = p.at();
                inserts = inserts.bind(withFirstSeen);
                inserted++;
            }
        }
        if (updated > 0) {
            updates.execute();
        }
        if (inserted > 0) {
            inserts.execute();
        }
        return inserted > 0;
    }

    private void evictBeyondCapacity() {
        int count = db.dsl().fetchCount(DISCOVERED_DEVICE);
        if (count > capacity) {
            var oldest = db.dsl().select(DISCOVERED_DEVICE.MAC).from(DISCOVERED_DEVICE)
                    .orderBy(DISCOVERED_DEVICE.LAST_SEEN_AT, DISCOVERED_DEVICE.MAC).limit(count - capacity)
                    .fetch(DISCOVERED_DEVICE.MAC);
            db.dsl().deleteFrom(DISCOVERED_DEVICE).where(DISCOVERED_DEVICE.MAC.in(oldest)).execute();
        }
    }

    public Page<DiscoveredDevice> list(String after, int limit) {
        flushQuietly();
        List<DiscoveredDevice> rows = db.dsl().selectFrom(DISCOVERED_DEVICE)
                .where(DISCOVERED_DEVICE.MAC.gt(after == null ? "" : after))
                .orderBy(DISCOVERED_DEVICE.MAC).limit(limit + 1).fetch(DiscoveredDeviceService::toDiscovered);
        return Page.of(rows, limit, DiscoveredDevice::mac);
    }

    public Optional<DiscoveredDevice> find(String macText) {
        flushQuietly();
        return Mac.normalise(macText).flatMap(mac -> db.dsl().selectFrom(DISCOVERED_DEVICE)
                .where(DISCOVERED_DEVICE.MAC.eq(mac)).fetchOptional().map(DiscoveredDeviceService::toDiscovered));
    }

    /**
     * Adopts a discovered device into an account: creates the device (model from the request, else the one
     * its User-Agent named) and forgets the sighting. The answer carries the new provisioning credentials.
     */
    public CreatedDevice adopt(DeviceService devices, String actor, String accountId, String macText, String model,
                               String label) {
        DiscoveredDevice found = find(macText).orElseThrow(() -> Problem.notFound("discovered device " + macText));
        String chosen = model != null ? model : found.model();
        if (chosen == null) {
            throw Problem.badField("model", "is required: the device's User-Agent named no known model");
        }
        CreatedDevice created = devices.create(actor, accountId, found.mac(), chosen, label);
        db.dsl().deleteFrom(DISCOVERED_DEVICE).where(DISCOVERED_DEVICE.MAC.eq(found.mac())).execute();
        return created;
    }

    @Override
    public void close() {
        writer.shutdownNow();
        flushQuietly();
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static DiscoveredDevice toDiscovered(DiscoveredDeviceRecord r) {
        return new DiscoveredDevice(r.getMac(), r.getFamily(), r.getModel(), r.getUaModel(), r.getFirmware(),
                r.getUserAgent(), r.getLastIp(), r.getFirstSeenAt(), r.getLastSeenAt(), r.getRequestCount());
    }
}
