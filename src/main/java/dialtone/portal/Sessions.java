package dialtone.portal;

import static dialtone.store.generated.Tables.PORTAL_SESSION;

import dialtone.security.Secrets;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.PortalSessionRecord;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;

/**
 * Browser sessions, in the database so that every instance sharing it (and a restart) knows them. The id is 256
 * random bits, stored only as its SHA-256; a session ends after {@code idle} without a request, after
 * {@code absolute} in any case, at logout, and when its person's password changes.
 */
final class Sessions {

    // Last activity is written at most this often: a page view need not always cost a write.
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);
    private final Database db;
    private final Duration idle;
    private final Duration absolute;

    Sessions(Database db, Duration idle, Duration absolute) {
        this.db = db;
        this.idle = idle;
        this.absolute = absolute;
    }

    /** A new session with a fresh id (never one the client offered) and a fresh CSRF token. */
    Session start(String kind, String personId) {
        String id = token();
        String csrf = token();
        OffsetDateTime now = OffsetDateTime.now();
        db.dsl().insertInto(PORTAL_SESSION).set(PORTAL_SESSION.ID_HASH, Secrets.sha256Hex(id))
                .set(PORTAL_SESSION.KIND, kind).set(PORTAL_SESSION.PERSON_ID, personId)
                .set(PORTAL_SESSION.CSRF_TOKEN, csrf).set(PORTAL_SESSION.CREATED_AT, now)
                .set(PORTAL_SESSION.LAST_ACTIVE_AT, now).execute();
        // Expired sessions of anyone go now and then; nothing else needs them.
        db.dsl().deleteFrom(PORTAL_SESSION).where(PORTAL_SESSION.LAST_ACTIVE_AT.lt(now.minus(idle))
                .or(PORTAL_SESSION.CREATED_AT.lt(now.minus(absolute)))).execute();
        return new Session(id, kind, personId, csrf);
    }

    /** The live session with this id; an expired one is deleted and not found. */
    Optional<Session> find(String id) {
        if (id == null || id.length() != 43) {
            return Optional.empty();
        }
        String hash = Secrets.sha256Hex(id);
        PortalSessionRecord row = db.dsl().selectFrom(PORTAL_SESSION).where(PORTAL_SESSION.ID_HASH.eq(hash)).fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        OffsetDateTime now = OffsetDateTime.now();
        if (row.getLastActiveAt().plus(idle).isBefore(now) || row.getCreatedAt().plus(absolute).isBefore(now)) {
            row.delete();
            return Optional.empty();
        }
        if (row.getLastActiveAt().plus(TOUCH_EVERY).isBefore(now)) {
            db.dsl().update(PORTAL_SESSION).set(PORTAL_SESSION.LAST_ACTIVE_AT, now)
                    .where(PORTAL_SESSION.ID_HASH.eq(hash)).execute();
        }
        return Optional.of(new Session(id, row.getKind(), row.getPersonId(), row.getCsrfToken()));
    }

    void end(String id) {
        if (id != null) {
            db.dsl().deleteFrom(PORTAL_SESSION).where(PORTAL_SESSION.ID_HASH.eq(Secrets.sha256Hex(id))).execute();
        }
    }

    /** Ends every session of the person (after a password change or reset), except {@code keep} when given. */
    void endAll(String kind, String personId) {
        db.dsl().deleteFrom(PORTAL_SESSION).where(PORTAL_SESSION.KIND.eq(kind))
                .and(PORTAL_SESSION.PERSON_ID.eq(personId)).execute();
    }

    static String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.randomBytes(32));
    }
}
