package dialtone.directory;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.EMAIL_OUTBOX;
import static dialtone.store.generated.Tables.PASSWORD_RESET;

import dialtone.core.FieldError;
import dialtone.core.Problem;
import dialtone.security.PasswordHasher;
import dialtone.security.SecretBox;
import dialtone.security.Secrets;
import dialtone.store.AuditLog;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.AppUserRecord;
import dialtone.store.generated.tables.records.PasswordResetRecord;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Users' portal passwords: log in with username and password (the temporary one from the welcome e-mail must
 * be replaced at once), change it under the password policy ({@link Rules#portalPassword}), and "forgot
 * password": a one-time token e-mailed through the outbox, stored only as a SHA-256, that expires.
 */
public final class PortalPasswords {

    public static final String RESET_KIND = "password-reset";
    public static final Duration RESET_VALIDITY = Duration.ofMinutes(30);
    static final int RESET_TOKEN_LENGTH = 32;
    // Verified when a username is unknown, so that the answer takes the same Argon2 work either way.
    private static final String DUMMY_HASH = PasswordHasher.hash(Secrets.random(24));

    private final Database db;
    private final Changes changes;
    private final SecretBox secrets;

    public PortalPasswords(Database db, Changes changes, SecretBox secrets) {
        this.db = db;
        this.changes = changes;
        this.secrets = secrets;
    }

    /** A user who has proven their password; {@code mustChange} while it is the temporary one. */
    public record PortalUser(String userId, String accountId, String username, boolean mustChange) {
        public String actor() {
            return "user:" + username + " (" + userId + ")";
        }
    }

    public Optional<PortalUser> authenticate(String username, String password) {
        AppUserRecord row = username == null ? null : db.dsl().selectFrom(APP_USER)
                .where(APP_USER.USERNAME_KEY.eq(username.toLowerCase(Locale.ROOT))).fetchOne();
        boolean valid = verifyEvenIfMissing(password, row == null ? null : row.getPortalPasswordHash());
        return valid && row != null ? Optional.of(toPortalUser(row)) : Optional.empty();
    }

    public Optional<PortalUser> find(String userId) {
        return db.dsl().selectFrom(APP_USER).where(APP_USER.ID.eq(userId)).fetchOptional()
                .map(PortalPasswords::toPortalUser);
    }

    /** Replaces the user's password after checking the current one (the temporary one counts) and the policy. */
    public void change(String actor, String userId, String current, String replacement) {
        AppUserRecord row = db.dsl().selectFrom(APP_USER).where(APP_USER.ID.eq(userId)).fetchOne();
        if (row == null) {
            throw Problem.notFound("user " + userId);
        }
        String hash = checkNew(row.getUsername(), current, row.getPortalPasswordHash(), replacement);
        db.inTransaction(tx -> {
            store(tx, row.getAccountId(), userId, hash);
            changes.user(tx, actor, "user.portal-password.change", row.getAccountId(), userId, null);
            return null;
        });
    }

    /**
     * Starts a password reset: when the username exists and has an e-mail address, a one-time token goes out by
     * e-mail (sealed in the outbox until sent). The caller answers the same either way.
     */
    public void requestReset(String actor, String username) {
        String token = Secrets.random(RESET_TOKEN_LENGTH);
        String sealed = secrets.seal(token);
        if (username == null || username.isBlank() || username.length() > 100) {
            return;
        }
        db.inTransaction(tx -> {
            AppUserRecord row = tx.selectFrom(APP_USER)
                    .where(APP_USER.USERNAME_KEY.eq(username.strip().toLowerCase(Locale.ROOT))).fetchOne();
            if (row == null) {
                return null;
            }
            OffsetDateTime now = OffsetDateTime.now();
            // One live link at a time: an earlier, unused one stops working.
            tx.update(PASSWORD_RESET).set(PASSWORD_RESET.USED_AT, now).where(PASSWORD_RESET.USER_ID.eq(row.getId()))
                    .and(PASSWORD_RESET.USED_AT.isNull()).execute();
            tx.insertInto(PASSWORD_RESET).set(PASSWORD_RESET.TOKEN_HASH, Secrets.sha256Hex(token))
                    .set(PASSWORD_RESET.USER_ID, row.getId()).set(PASSWORD_RESET.CREATED_AT, now)
                    .set(PASSWORD_RESET.EXPIRES_AT, now.plus(RESET_VALIDITY)).execute();
            tx.insertInto(EMAIL_OUTBOX)
                    .set(EMAIL_OUTBOX.ID, UUID.randomUUID().toString())
                    .set(EMAIL_OUTBOX.ACCOUNT_ID, row.getAccountId())
                    .set(EMAIL_OUTBOX.USER_ID, row.getId())
                    .set(EMAIL_OUTBOX.KIND, RESET_KIND)
                    .set(EMAIL_OUTBOX.RECIPIENT, row.getEmail())
                    .set(EMAIL_OUTBOX.PASSWORD_ENC, sealed)
                    .set(EMAIL_OUTBOX.STATUS, EmailStatus.PENDING)
                    .set(EMAIL_OUTBOX.ATTEMPTS, 0)
                    .set(EMAIL_OUTBOX.NEXT_ATTEMPT_AT, now)
                    .set(EMAIL_OUTBOX.CREATED_AT, now)
                    .execute();
            changes.record(tx, actor, "user.portal-password.reset-request",
                    new DirectoryEvent.MailQueued(row.getAccountId(), row.getId()), "user", row.getId(), null);
            return null;
        });
    }

    /** Sets a new password with a reset token (once, before it expires); returns the user it belonged to. */
    public PortalUser reset(String actor, String token, String replacement) {
        PasswordResetRecord reset = token == null || token.isBlank() ? null : db.dsl().selectFrom(PASSWORD_RESET)
                .where(PASSWORD_RESET.TOKEN_HASH.eq(Secrets.sha256Hex(token.strip()))).fetchOne();
        if (reset == null || reset.getUsedAt() != null || reset.getExpiresAt().isBefore(OffsetDateTime.now())) {
            throw Problem.badField("token", "this reset link is not valid (used, expired or mistyped); ask for a new one");
        }
        AppUserRecord row = db.dsl().selectFrom(APP_USER).where(APP_USER.ID.eq(reset.getUserId())).fetchOne();
        List<FieldError> errors = new ArrayList<>();
        Rules.portalPassword(errors, "newPassword", replacement, row.getUsername());
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        String hash = PasswordHasher.hash(replacement);
        return db.inTransaction(tx -> {
            int claimed = tx.update(PASSWORD_RESET).set(PASSWORD_RESET.USED_AT, OffsetDateTime.now())
                    .where(PASSWORD_RESET.TOKEN_HASH.eq(reset.getTokenHash())).and(PASSWORD_RESET.USED_AT.isNull())
                    .execute();
            if (claimed != 1) {
                throw Problem.badField("token", "this reset link was used already; ask for a new one");
            }
            store(tx, row.getAccountId(), row.getId(), hash);
            changes.user(tx, actor, "user.portal-password.reset", row.getAccountId(), row.getId(), null);
            return toPortalUser(tx.selectFrom(APP_USER).where(APP_USER.ID.eq(row.getId())).fetchOne());
        });
    }

    private static void store(org.jooq.DSLContext tx, String accountId, String userId, String hash) {
        tx.update(APP_USER).set(APP_USER.PORTAL_PASSWORD_HASH, hash)
                .set(APP_USER.PORTAL_PASSWORD_CHANGED_AT, OffsetDateTime.now()).where(APP_USER.ID.eq(userId))
                .execute();
    }

    /**
     * The hash of an acceptable new password: the current one must be proven, the new one must meet the policy
     * and differ from it. Field errors name {@code currentPassword} and {@code newPassword}.
     */
    static String checkNew(String username, String current, String currentHash, String replacement) {
        List<FieldError> errors = new ArrayList<>();
        if (!verifyEvenIfMissing(current, currentHash)) {
            errors.add(new FieldError("currentPassword", "is not your current password"));
        }
        if (Rules.portalPassword(errors, "newPassword", replacement, username) && replacement.equals(current)) {
            errors.add(new FieldError("newPassword", "must differ from the current password"));
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        return PasswordHasher.hash(replacement);
    }

    /** Verifies, doing the same Argon2 work when there is no hash to verify against (and then failing). */
    static boolean verifyEvenIfMissing(String password, String hash) {
        if (password == null || password.isEmpty() || password.length() > Rules.MAX_PORTAL_PASSWORD) {
            PasswordHasher.verify("x", DUMMY_HASH);
            return false;
        }
        if (hash == null) {
            PasswordHasher.verify(password, DUMMY_HASH);
            return false;
        }
        return PasswordHasher.verify(password, hash);
    }

    private static PortalUser toPortalUser(AppUserRecord r) {
        return new PortalUser(r.getId(), r.getAccountId(), r.getUsername(), r.getPortalPasswordChangedAt() == null);
    }
}
