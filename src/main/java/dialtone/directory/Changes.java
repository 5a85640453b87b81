package dialtone.directory;

import dialtone.store.AuditLog;
import dialtone.store.Database;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the directory changes: each change is written to the audit log inside its transaction and,
 * once that transaction has committed, announced to the subscribers as a {@link DirectoryEvent}.
 */
public final class Changes {

    private static final Logger LOG = LoggerFactory.getLogger(Changes.class);
    private final Database db;
    private final List<Consumer<? super DirectoryEvent>> subscribers = new CopyOnWriteArrayList<>();

    public Changes(Database db) {
        this.db = db;
    }

    /** Hears every committed change, on the thread that committed it: keep the work short, or hand it off. */
    public void subscribe(Consumer<? super DirectoryEvent> subscriber) {
        subscribers.add(subscriber);
    }

    /** Audits {@code action} on the object inside {@code tx} and announces {@code event} after the commit. */
    void record(DSLContext tx, String actor, String action, DirectoryEvent event, String objectType, String objectId,
                String detail) {
        AuditLog.record(tx, actor, event.accountId(), action, objectType, objectId, detail);
        db.notices().send(tx, encode(event));
        db.afterCommit(() -> publish(event));
    }

    /**
     * Hears every committed change of this instance and, on a database shared by several instances
     * (PostgreSQL), the other instances' too, as they are announced (typically milliseconds after their
     * commit). {@code hearingOthers} is told false while the others' changes may go unheard, and true
     * once they are heard again (anything kept meanwhile may be stale). For caches; actions (mail,
     * resync) subscribe with {@link #subscribe} so that only the instance that made a change acts on it.
     */
    public void subscribeWithOtherInstances(Consumer<? super DirectoryEvent> subscriber, Consumer<Boolean> hearingOthers) {
        subscribe(subscriber);
        db.notices().listen(notice -> {
            DirectoryEvent event = decode(notice);
            if (event != null) {
                deliver(subscriber, event);
            }
        }, hearingOthers);
    }

    /** An event as a notice for the other instances: its kind, its account, its object. */
    static String encode(DirectoryEvent event) {
        String object;
        if (event instanceof DirectoryEvent.LocationChanged e) {
            object = e.locationId();
        } else if (event instanceof DirectoryEvent.UserChanged e) {
            object = e.userId();
        } else if (event instanceof DirectoryEvent.UserDeleted e) {
            object = e.userId();
        } else if (event instanceof DirectoryEvent.DeviceChanged e) {
            object = e.mac();
        } else if (event instanceof DirectoryEvent.DeviceDeleted e) {
            object = e.mac();
        } else if (event instanceof DirectoryEvent.WelcomeEmailQueued e) {
            object = e.userId();
        } else {
            object = "";
        }
        return event.getClass().getSimpleName() + "|" + event.accountId() + "|" + object;
    }

    /** The event a notice stands for; null for one this version does not know. */
    static DirectoryEvent decode(String notice) {
        String[] parts = notice.split("\\|", -1);
        if (parts.length != 3) {
            return null;
        }
        String account = parts[1];
        String object = parts[2];
        return switch (parts[0]) {
            case "AccountChanged" -> new DirectoryEvent.AccountChanged(account);
            case "LocationChanged" -> new DirectoryEvent.LocationChanged(account, object);
            case "UserChanged" -> new DirectoryEvent.UserChanged(account, object);
            case "UserDeleted" -> new DirectoryEvent.UserDeleted(account, object);
            case "DeviceChanged" -> new DirectoryEvent.DeviceChanged(account, object);
            case "DeviceDeleted" -> new DirectoryEvent.DeviceDeleted(account, object);
            case "WelcomeEmailQueued" -> new DirectoryEvent.WelcomeEmailQueued(account, object);
            default -> null;
        };
    }

    void account(DSLContext tx, String actor, String action, String accountId, String detail) {
        record(tx, actor, action, new DirectoryEvent.AccountChanged(accountId), "account", accountId, detail);
    }

    void user(DSLContext tx, String actor, String action, String accountId, String userId, String detail) {
        record(tx, actor, action, new DirectoryEvent.UserChanged(accountId, userId), "user", userId, detail);
    }

    void device(DSLContext tx, String actor, String action, String accountId, String mac, String detail) {
        record(tx, actor, action, new DirectoryEvent.DeviceChanged(accountId, mac), "device", mac, detail);
    }

    private void publish(DirectoryEvent event) {
        for (Consumer<? super DirectoryEvent> subscriber : subscribers) {
            deliver(subscriber, event);
        }
    }

    private static void deliver(Consumer<? super DirectoryEvent> subscriber, DirectoryEvent event) {
        try {
            subscriber.accept(event);
        } catch (RuntimeException e) {
            // The change is committed and acknowledged; a subscriber's failure must not turn it into an error.
            LOG.warn("a subscriber failed on {}: {}", event.getClass().getSimpleName(), e.toString());
        }
    }
}
