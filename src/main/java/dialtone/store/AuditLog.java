package dialtone.store;

import static dialtone.store.generated.Tables.AUDIT_EVENT;

import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/** Writes audit events inside the caller's transaction. Details must never hold a secret. */
public final class AuditLog {

    private AuditLog() {}

    // The column's size: a long detail (a list of sources, of variable names) is cut, never a failed change.
    private static final int MAX_DETAIL = 2000;

    public static void record(DSLContext tx, String actor, String accountId, String action, String objectType,
                              String objectId, String detail) {
        tx.insertInto(AUDIT_EVENT)
                .set(AUDIT_EVENT.AT, OffsetDateTime.now())
                .set(AUDIT_EVENT.ACTOR, actor)
                .set(AUDIT_EVENT.ACCOUNT_ID, accountId)
                .set(AUDIT_EVENT.ACTION, action)
                .set(AUDIT_EVENT.OBJECT_TYPE, objectType)
                .set(AUDIT_EVENT.OBJECT_ID, objectId)
                .set(AUDIT_EVENT.DETAIL, detail == null || detail.length() <= MAX_DETAIL ? detail
                        : detail.substring(0, MAX_DETAIL - 3) + "...")
                .execute();
    }
}
