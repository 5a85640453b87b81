package dialtone.provisioning;

import dialtone.directory.Device;
import dialtone.directory.DeviceService;
import dialtone.directory.Page;
import dialtone.directory.SipTarget;
import dialtone.core.DaemonThreads;
import dialtone.core.Problem;
import dialtone.store.AuditLog;
import dialtone.store.Database;
import dialtone.templates.Family;
import dialtone.templates.FamilyRegistry;
import java.util.function.Supplier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks phones to fetch their configuration again with the SIP NOTIFY event their family declares.
 * A whole account is notified at a steady pace so that its phones do not all reboot at once.
 */
public final class ResyncService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResyncService.class);

    /** What happened to one device's NOTIFY. */
    public record Result(String mac, String target, String event, int status, String reason, int transmissions,
                         boolean timedOut) {}

    /** An account-wide resync that has been scheduled. */
    public record Scheduled(int devices, int perSecond, double seconds) {}

    private final Database db;
    private final DeviceService devices;
    private final Supplier<FamilyRegistry> families;
    private final SipNotifier notifier;
    private final int perSecond;
    private final java.util.concurrent.Semaphore waiting = new java.util.concurrent.Semaphore(2);
    private final java.util.Map<String, Boolean> running = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService pacer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("dialtone-resync-pacer"));
    private final ExecutorService senders = new ThreadPoolExecutor(16, 16, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), DaemonThreads.named("dialtone-resync"));

    public ResyncService(Database db, DeviceService devices, Supplier<FamilyRegistry> families, SipNotifier notifier,
                         int perSecond) {
        this.db = db;
        this.devices = devices;
        this.families = families;
        this.notifier = notifier;
        this.perSecond = perSecond;
    }

    /**
     * Notifies one device and waits for its answer (at most Timer F). Only a few such waits run at once,
     * so unreachable phones cannot tie up the workers that serve everyone else: past that, 503.
     */
    public Result resync(String actor, String accountId, String mac) {
        Device device = devices.find(accountId, mac).orElseThrow(() -> Problem.notFound("device " + mac));
        if (!Device.ACTIVE.equals(device.status())) {
            throw Problem.conflict("mac", "the device is " + device.status());
        }
        if (!waiting.tryAcquire()) {
            throw Problem.busy("other resyncs are waiting for their phones; retry shortly");
        }
        Result result;
        try {
            result = send(device);
        } finally {
            waiting.release();
        }
        db.inTransaction(tx -> {
            AuditLog.record(tx, actor, accountId, "device.resync", "device", device.mac(),
                    "target=" + result.target() + " status=" + (result.timedOut() ? "timeout" : result.status()));
            return null;
        });
        return result;
    }

    /** Schedules a NOTIFY to every active device of the account, {@code perSecond} at a time. */
    public Scheduled resyncAccount(String actor, String accountId) {
        return resyncAccount(actor, accountId, device -> true);
    }

    /**
     * Like {@link #resyncAccount(String, String)}, for the devices that pass {@code which}. One account
     * resync at a time per account: a second one while the first is still sending is a 409.
     */
    public Scheduled resyncAccount(String actor, String accountId, java.util.function.Predicate<Device> which) {
        if (running.putIfAbsent(accountId, Boolean.TRUE) != null) {
            throw Problem.conflict("account", "a resync of this account is still under way");
        }
        try {
            return schedule(actor, accountId, which);
        } catch (RuntimeException e) {
            running.remove(accountId);
            throw e;
        }
    }

    private Scheduled schedule(String actor, String accountId, java.util.function.Predicate<Device> which) {
        List<Device> targets = new ArrayList<>();
        String after = null;
        do {
            Page<Device> page = devices.list(accountId, after, Page.MAX_LIMIT);
            page.items().stream().filter(d -> Device.ACTIVE.equals(d.status()) && target(d) != null)
                    .filter(which).forEach(targets::add);
            after = page.next();
        } while (after != null);
        if (targets.isEmpty()) {
            running.remove(accountId);
            return new Scheduled(0, perSecond, 0);
        }
        long spacingMicros = 1_000_000L / perSecond;
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Device device = targets.get(i);
            pacer.schedule(() -> senders.execute(() -> {
                try {
                    send(device);
                } finally {
                    if (left.decrementAndGet() == 0) {
                        running.remove(accountId);
                    }
                }
            }), i * spacingMicros, TimeUnit.MICROSECONDS);
        }
        db.inTransaction(tx -> {
            AuditLog.record(tx, actor, accountId, "account.resync", "account", accountId,
                    "devices=" + targets.size() + " perSecond=" + perSecond);
            return null;
        });
        return new Scheduled(targets.size(), perSecond, targets.size() / (double) perSecond);
    }

    private Result send(Device device) {
        SipTarget target = target(device);
        if (target == null) {
            throw Problem.conflict("sipContact",
                    "the device has no SIP contact and has never fetched a file, so its address is unknown");
        }
        String event = families.get().family(device.family()).map(Family::resyncEvent).filter(e -> e != null && !e.isBlank())
                .orElse("check-sync");
        try {
            SipNotifier.Outcome outcome = notifier.notify(target, event);
            LOG.info("resync mac={} target={} event={} status={} transmissions={}", device.mac(), target.requestUri(),
                    event, outcome.timedOut() ? "timeout" : outcome.status(), outcome.sentAtMillis().size());
            return new Result(device.mac(), target.requestUri(), event, outcome.status(), outcome.reason(),
                    outcome.sentAtMillis().size(), outcome.timedOut());
        } catch (IOException e) {
            LOG.warn("resync mac={} target={} failed: {}", device.mac(), target.requestUri(), e.toString());
            return new Result(device.mac(), target.requestUri(), event, 0, "unreachable: " + e.getMessage(), 0, true);
        }
    }

    /** The device's SIP contact, else the address it last fetched from on port 5060; null if neither. */
    static SipTarget target(Device device) {
        if (device.sipContact() != null) {
            return SipTarget.parse(device.sipContact()).orElse(null);
        }
        if (device.lastSeen() != null && device.lastSeen().address() != null) {
            return new SipTarget(null, device.lastSeen().address(), 5060);
        }
        return null;
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        senders.shutdownNow();
    }
}
