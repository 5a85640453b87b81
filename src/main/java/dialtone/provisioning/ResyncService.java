package dialtone.provisioning;

import dialtone.core.DaemonThreads;
import dialtone.core.Problem;
import dialtone.directory.Device;
import dialtone.directory.DeviceService;
import dialtone.directory.Page;
import dialtone.directory.SipTarget;
import dialtone.security.NotifyTargets;
import dialtone.store.AuditLog;
import dialtone.store.Database;
import dialtone.templates.Family;
import dialtone.templates.FamilyRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks phones to fetch their configuration again with the SIP NOTIFY event their family declares.
 * A whole account is notified at a steady pace so that its phones do not all reboot at once. NOTIFYs go
 * only to addresses {@link NotifyTargets} allows, and each account has its own budget of NOTIFYs waiting
 * for an answer at once: one account's unreachable phones never hold up another account's resyncs, and a
 * wait never holds an API worker (the answer is written when the phone has answered or Timer F fired).
 */
public final class ResyncService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResyncService.class);
    /** What the API says when a target is refused or a NOTIFY could not leave; the log has the details. */
    static final String NOT_ALLOWED = "the device's NOTIFY target is not an address the operator allows"
            + " (resync.allowed-networks)";

    /** What happened to one device's NOTIFY. */
    public record Result(String mac, String target, String event, int status, String reason, int transmissions,
                         boolean timedOut) {}

    /** An account-wide resync that has been scheduled. */
    public record Scheduled(int devices, int perSecond, double seconds) {}

    private final Database db;
    private final DeviceService devices;
    private final Supplier<FamilyRegistry> families;
    private final SipNotifier notifier;
    private final NotifyTargets targets;
    private final int perSecond;
    private final int waitsPerAccount;
    private final PhoneMetrics metrics;
    private final Map<String, Semaphore> budgets = new ConcurrentHashMap<>();
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pacer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("dialtone-resync-pacer"));
    // No queue: a NOTIFY starts only with a permit of its account's budget, so threads are bounded by the budgets.
    private final ExecutorService senders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.named("dialtone-resync"));

    ResyncService(Database db, DeviceService devices, Supplier<FamilyRegistry> families, SipNotifier notifier,
                  NotifyTargets targets, int perSecond, int waitsPerAccount, PhoneMetrics metrics) {
        this.metrics = metrics;
        this.db = db;
        this.devices = devices;
        this.families = families;
        this.notifier = notifier;
        this.targets = targets;
        this.perSecond = perSecond;
        this.waitsPerAccount = waitsPerAccount;
    }

    /**
     * Notifies one device; the result completes with its answer (at most Timer F later). Past the account's
     * budget of waiting NOTIFYs, 503 for this account only.
     */
    public CompletableFuture<Result> resync(String actor, String accountId, String mac) {
        Device device = devices.find(accountId, mac).orElseThrow(() -> Problem.notFound("device " + mac));
        if (!Device.ACTIVE.equals(device.status())) {
            throw Problem.conflict("mac", "the device is " + device.status());
        }
        SipTarget target = target(device);
        if (target == null) {
            throw Problem.conflict("sipContact",
                    "the device has no SIP contact and has never fetched a file, so its address is unknown");
        }
        InetAddress address = allowedAddress(device, target);
        if (address == null) {
            throw Problem.conflict("sipContact", NOT_ALLOWED);
        }
        Semaphore budget = budget(accountId);
        if (!budget.tryAcquire()) {
            throw Problem.busy("this account's other resyncs are still waiting for their phones; retry shortly");
        }
        CompletableFuture<Result> sent;
        try {
            sent = CompletableFuture.supplyAsync(() -> send(device, target, address), senders);
        } catch (RuntimeException e) {
            budget.release();
            throw e;
        }
        return sent.whenComplete((result, error) -> budget.release()).thenApply(result -> {
            db.inTransaction(tx -> {
                AuditLog.record(tx, actor, accountId, "device.resync", "device", device.mac(),
                        "target=" + result.target() + " status=" + (result.timedOut() ? "timeout" : result.status()));
                return null;
            });
            return result;
        });
    }

    /** Schedules a NOTIFY to every active device of the account, {@code perSecond} at a time. */
    public Scheduled resyncAccount(String actor, String accountId) {
        return resyncAccount(actor, accountId, device -> true);
    }

    /**
     * Like {@link #resyncAccount(String, String)}, for the devices that pass {@code which}. One account
     * resync at a time per account: a second one while the first is still sending is a 409.
     */
    public Scheduled resyncAccount(String actor, String accountId, Predicate<Device> which) {
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

    private Scheduled schedule(String actor, String accountId, Predicate<Device> which) {
        List<Device> chosen = new ArrayList<>();
        String after = null;
        do {
            Page<Device> page = devices.list(accountId, after, Page.MAX_LIMIT);
            page.items().stream().filter(d -> Device.ACTIVE.equals(d.status()) && target(d) != null)
                    .filter(which).filter(d -> allowedAddress(d, target(d)) != null).forEach(chosen::add);
            after = page.next();
        } while (after != null);
        if (chosen.isEmpty()) {
            running.remove(accountId);
            return new Scheduled(0, perSecond, 0);
        }
        long spacingMicros = 1_000_000L / perSecond;
        AtomicInteger left = new AtomicInteger(chosen.size());
        Runnable oneDone = () -> {
            if (left.decrementAndGet() == 0) {
                running.remove(accountId);
            }
        };
        for (int i = 0; i < chosen.size(); i++) {
            Device device = chosen.get(i);
            pacer.schedule(() -> sendPaced(accountId, device, spacingMicros, oneDone), i * spacingMicros,
                    TimeUnit.MICROSECONDS);
        }
        db.inTransaction(tx -> {
            AuditLog.record(tx, actor, accountId, "account.resync", "account", accountId,
                    "devices=" + chosen.size() + " perSecond=" + perSecond);
            return null;
        });
        return new Scheduled(chosen.size(), perSecond, chosen.size() / (double) perSecond);
    }

    /** On the pacer: sends when the account's budget has room, else looks again one step later (no thread waits). */
    private void sendPaced(String accountId, Device device, long spacingMicros, Runnable done) {
        SipTarget target = target(device);
        InetAddress address = targets.address(target.host()).orElseThrow();
        Semaphore budget = budget(accountId);
        if (!budget.tryAcquire()) {
            pacer.schedule(() -> sendPaced(accountId, device, spacingMicros, done), spacingMicros, TimeUnit.MICROSECONDS);
            return;
        }
        try {
            senders.execute(() -> {
                try {
                    send(device, target, address);
                } finally {
                    budget.release();
                    done.run();
                }
            });
        } catch (RuntimeException stopped) {
            budget.release();
            done.run();
        }
    }

    private Semaphore budget(String accountId) {
        return budgets.computeIfAbsent(accountId, id -> new Semaphore(waitsPerAccount));
    }

    /** The address a NOTIFY to this target may go to, or null (logged) when the rules refuse it. */
    private InetAddress allowedAddress(Device device, SipTarget target) {
        InetAddress address = targets.address(target.host()).orElse(null);
        if (address == null) {
            LOG.warn("resync mac={} target={} refused: not an IP address in resync.allowed-networks, or a loopback,"
                    + " link-local, multicast or unspecified one", device.mac(), target.requestUri());
        }
        return address;
    }

    private Result send(Device device, SipTarget target, InetAddress address) {
        String event = families.get().family(device.family()).map(Family::resyncEvent).filter(e -> e != null && !e.isBlank())
                .orElse("check-sync");
        try {
            SipNotifier.Outcome outcome = notifier.notify(target, address, event);
            LOG.info("resync mac={} target={} event={} status={} transmissions={}", device.mac(), target.requestUri(),
                    event, outcome.timedOut() ? "timeout" : outcome.status(), outcome.sentAtMillis().size());
            metrics.notified(outcome.timedOut() ? PhoneMetrics.NotifyResult.TIMEOUT
                    : outcome.status() / 100 == 2 ? PhoneMetrics.NotifyResult.ACCEPTED : PhoneMetrics.NotifyResult.REJECTED);
            return new Result(device.mac(), target.requestUri(), event, outcome.status(), outcome.reason(),
                    outcome.sentAtMillis().size(), outcome.timedOut());
        } catch (IOException e) {
            LOG.warn("resync mac={} target={} failed: {}", device.mac(), target.requestUri(), e.toString());
            metrics.notified(PhoneMetrics.NotifyResult.NOT_SENT);
            return new Result(device.mac(), target.requestUri(), event, 0, "not delivered", 0, true);
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
