package dialtone.provisioning;

import dialtone.directory.AccountService;
import dialtone.core.DaemonThreads;
import dialtone.core.Problem;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For accounts with {@code autoResync}, notifies the phones whose files a change altered. Changes are
 * gathered for a short while first, so a burst of edits (an import, a script) sends one NOTIFY per phone;
 * a phone whose files did not change (in sync) is left alone.
 */
public final class AutoResync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AutoResync.class);
    private final AccountService accounts;
    private final ResyncService resync;
    private final DeviceSync sync;
    private final long delayMillis;
    private final Map<String, Boolean> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1,
            DaemonThreads.named("dialtone-auto-resync"));

    public AutoResync(AccountService accounts, ResyncService resync, DeviceSync sync, long delayMillis) {
        this.accounts = accounts;
        this.resync = resync;
        this.sync = sync;
        this.delayMillis = delayMillis;
    }

    /** Something in the account changed; if it resyncs automatically, its out-of-sync phones will hear of it. */
    public void changed(String accountId) {
        if (pending.putIfAbsent(accountId, Boolean.TRUE) == null) {
            timer.schedule(() -> sweep(accountId), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep(String accountId) {
        pending.remove(accountId);
        try {
            if (accounts.find(accountId).map(a -> a.autoResync()).orElse(false)) {
                var scheduled = resync.resyncAccount("system:auto-resync", accountId,
                        device -> Boolean.FALSE.equals(sync.inSync(device)));
                if (scheduled.devices() > 0) {
                    LOG.info("auto-resync account={} devices={}", accountId, scheduled.devices());
                }
            }
        } catch (Problem problem) {
            if (problem.kind() == Problem.Kind.CONFLICT || problem.kind() == Problem.Kind.BUSY) {
                // An account resync is still sending: look again once it has had time to finish.
                changed(accountId);
            } else {
                LOG.warn("auto-resync of account {} refused: {}", accountId, problem.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("auto-resync of account {} failed: {}", accountId, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
