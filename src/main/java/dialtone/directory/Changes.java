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
        db.afterCommit(() -> publish(event));
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
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                // The change is committed and acknowledged; a subscriber's failure must not turn it into an error.
                LOG.warn("a subscriber failed on {}: {}", event.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
