package dialtone.directory;

import dialtone.core.Mac;

import static dialtone.store.generated.Tables.DEVICE;
import static dialtone.store.generated.Tables.DISCOVERED_DEVICE;

import dialtone.core.DaemonThreads;
import dialtone.core.Problem;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.DiscoveredDeviceRecord;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unknown devices seen asking for their files, kept in a bounded table (the least recently seen are
 * evicted first). Sightings are written by one background thread from a bounded queue: a sweep of
 * random MACs costs bounded memory, and an unknown MAC is answered exactly as fast as a known one.
 */
public final class DiscoveredDeviceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveredDeviceService.class);
    private final Database db;
    private final int capacity;
    private final ThreadPoolExecutor writer;

    public DiscoveredDeviceService(Database db, int capacity) {
        this.db = db;
        this.capacity = capacity;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000),
                DaemonThreads.named("dialtone-discovered"), new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Records a sighting in the background; when the queue is full the sighting is dropped. */
    public void record(DiscoveredDevice sighting) {
        writer.execute(() -> {
            try {
                store(sighting);
            } catch (RuntimeException e) {
                LOG.warn("cannot record discovered device {}: {}", sighting.mac(), e.toString());
            }
        });
    }

    private void store(DiscoveredDevice s) {
        OffsetDateTime now = OffsetDateTime.now();
        boolean added = db.inTransaction(tx -> {
            // A retired or replaced handset still booting is known, not discovered.
            if (tx.fetchExists(DEVICE, DEVICE.MAC.eq(s.mac()))) {
                return false;
            }
            DiscoveredDeviceRecord row = tx.selectFrom(DISCOVERED_DEVICE).where(DISCOVERED_DEVICE.MAC.eq(s.mac()))
                    .forUpdate().fetchOne();
            boolean isNew = row == null;
            if (isNew) {
                row = tx.newRecord(DISCOVERED_DEVICE);
                row.setMac(s.mac());
                row.setFirstSeenAt(now);
                row.setRequestCount(0L);
            }
            row.setFamily(s.family());
            row.setModel(s.model());
            row.setUaModel(truncate(s.userAgentModel(), 60));
            row.setFirmware(truncate(s.firmware(), 60));
            row.setUserAgent(truncate(s.userAgent(), 300));
            row.setLastIp(s.address());
            row.setLastSeenAt(now);
            row.setRequestCount(row.getRequestCount() + 1);
            row.store();
            return isNew;
        });
        if (added) {
            evictBeyondCapacity();
        }
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
        List<DiscoveredDevice> rows = db.dsl().selectFrom(DISCOVERED_DEVICE)
                .where(DISCOVERED_DEVICE.MAC.gt(after == null ? "" : after))
                .orderBy(DISCOVERED_DEVICE.MAC).limit(limit + 1).fetch(DiscoveredDeviceService::toDiscovered);
        return Page.of(rows, limit, DiscoveredDevice::mac);
    }

    public Optional<DiscoveredDevice> find(String macText) {
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
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static DiscoveredDevice toDiscovered(DiscoveredDeviceRecord r) {
        return new DiscoveredDevice(r.getMac(), r.getFamily(), r.getModel(), r.getUaModel(), r.getFirmware(),
                r.getUserAgent(), r.getLastIp(), r.getFirstSeenAt(), r.getLastSeenAt(), r.getRequestCount());
    }
}
