package dialtone.portal;

import static dialtone.store.generated.Tables.PORTAL_SETUP;

import dialtone.store.AuditLog;
import dialtone.store.Database;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Add User wizard's progress per user: which step it resumes at, and whether the welcome e-mail is to go
 * out when it is done. A user with a row here is "setup incomplete"; the row goes when the wizard is done.
 */
final class Setup {

    static final String E911 = "e911";
    static final String DEVICE = "device";
    static final String GREETING = "greeting";
    static final String DONE = "done";
    static final List<String> STEPS = List.of("details", E911, DEVICE, GREETING, DONE);
    private final Database db;

    Setup(Database db) {
        this.db = db;
    }

    void begin(String actor, String accountId, String userId, boolean sendWelcome) {
        db.dsl().insertInto(PORTAL_SETUP).set(PORTAL_SETUP.USER_ID, userId).set(PORTAL_SETUP.NEXT_STEP, E911)
                .set(PORTAL_SETUP.SEND_WELCOME, sendWelcome).set(PORTAL_SETUP.UPDATED_AT, OffsetDateTime.now())
                .execute();
        AuditLog.record(db.dsl(), actor, accountId, "user.setup.begin", "user", userId, "sendWelcomeEmail=" + sendWelcome);
    }

    /** The step the wizard resumes at; empty when the user's setup is complete. */
    Optional<String> next(String userId) {
        return db.dsl().select(PORTAL_SETUP.NEXT_STEP).from(PORTAL_SETUP).where(PORTAL_SETUP.USER_ID.eq(userId))
                .fetchOptional(PORTAL_SETUP.NEXT_STEP);
    }

    /** Records that {@code done} is finished: the wizard resumes after it (never goes back). */
    void completed(String actor, String accountId, String userId, String done, String detail) {
        String following = STEPS.get(STEPS.indexOf(done) + 1);
        Optional<String> current = next(userId);
        if (current.isPresent() && STEPS.indexOf(current.get()) < STEPS.indexOf(following)) {
            db.dsl().update(PORTAL_SETUP).set(PORTAL_SETUP.NEXT_STEP, following)
                    .set(PORTAL_SETUP.UPDATED_AT, OffsetDateTime.now()).where(PORTAL_SETUP.USER_ID.eq(userId)).execute();
        }
        AuditLog.record(db.dsl(), actor, accountId, "user.setup." + done, "user", userId, detail);
    }

    /** Ends the wizard; returns whether the welcome e-mail is to be sent now. */
    boolean finish(String userId) {
        Boolean send = db.dsl().select(PORTAL_SETUP.SEND_WELCOME).from(PORTAL_SETUP)
                .where(PORTAL_SETUP.USER_ID.eq(userId)).fetchOne(PORTAL_SETUP.SEND_WELCOME);
        int deleted = db.dsl().deleteFrom(PORTAL_SETUP).where(PORTAL_SETUP.USER_ID.eq(userId)).execute();
        return deleted == 1 && Boolean.TRUE.equals(send);
    }

    /** Which of these users have not finished their setup. */
    Set<String> incomplete(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(db.dsl().select(PORTAL_SETUP.USER_ID).from(PORTAL_SETUP)
                .where(PORTAL_SETUP.USER_ID.in(userIds)).fetch(PORTAL_SETUP.USER_ID));
    }
}
