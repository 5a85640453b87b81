package dialtone.admin;

import static dialtone.store.generated.Tables.AUDIT_EVENT;

import dialtone.directory.Page;
import dialtone.store.Database;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/** Reads the audit trail, newest first, limited to one account unless the caller is the operator. */
public final class AuditService {

    /** One audit event as the API shows it; details never hold a secret (AuditLog's rule). */
    public record Event(long id, OffsetDateTime at, String actor, String accountId, String action, String objectType,
                        String objectId, String detail) {}

    private final Database db;

    public AuditService(Database db) {
        this.db = db;
    }

    /**
     * @param accountId the account to list, or null for every account (operator only)
     * @param before    the cursor: only events older than this id
     */
    public Page<Event> list(String accountId, Long before, int limit) {
        Condition where = DSL.trueCondition();
        if (accountId != null) {
            where = where.and(AUDIT_EVENT.ACCOUNT_ID.eq(accountId));
        }
        if (before != null) {
            where = where.and(AUDIT_EVENT.ID.lt(before));
        }
        List<Event> rows = db.dsl().selectFrom(AUDIT_EVENT).where(where).orderBy(AUDIT_EVENT.ID.desc()).limit(limit + 1)
                .fetch(r -> new Event(r.getId(), r.getAt(), r.getActor(), r.getAccountId(), r.getAction(),
                        r.getObjectType(), r.getObjectId(), r.getDetail()));
        return Page.of(rows, limit, e -> Long.toString(e.id()));
    }
}
