package dialtone.directory;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.EMAIL_OUTBOX;

import dialtone.core.Problem;
import dialtone.security.PasswordHasher;
import dialtone.security.SecretBox;
import dialtone.security.Secrets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Queues welcome e-mails into the outbox. The temporary portal password is stored on the user only as
 * an Argon2id hash; the outbox keeps it sealed until the sender has delivered it (or given up).
 */
public final class WelcomeEmails {

    static final String KIND = "welcome";
    static final int PASSWORD_LENGTH = 16;
    private final SecretBox secrets;
    private final long resendIntervalMillis;
    private final int perDay;

    /** {@code resendIntervalMillis} and {@code perDay}: how often one user may be sent a welcome e-mail. */
    public WelcomeEmails(SecretBox secrets, long resendIntervalMillis, int perDay) {
        this.secrets = secrets;
        this.resendIntervalMillis = resendIntervalMillis;
        this.perDay = perDay;
    }

    /**
     * Refuses (too many) a welcome e-mail for a user who was sent one less than the resend interval ago, or as
     * many as the daily allowance in the last 24 hours: each one mails an address and costs an Argon2 hash.
     * Call before {@link #prepare()}, so a refused resend costs no hashing; {@link #queue} checks again.
     */
    public void requireAllowed(DSLContext dsl, String userId) {
        OffsetDateTime now = OffsetDateTime.now();
        List<OffsetDateTime> recent = dsl.select(EMAIL_OUTBOX.CREATED_AT).from(EMAIL_OUTBOX)
                .where(EMAIL_OUTBOX.USER_ID.eq(userId)).and(EMAIL_OUTBOX.KIND.eq(KIND))
                .and(EMAIL_OUTBOX.CREATED_AT.gt(now.minusDays(1)))
                .orderBy(EMAIL_OUTBOX.CREATED_AT.desc()).fetch(EMAIL_OUTBOX.CREATED_AT);
        long sinceLast = recent.isEmpty() ? Long.MAX_VALUE : Duration.between(recent.get(0), now).toMillis();
        if (sinceLast < resendIntervalMillis) {
            throw Problem.tooMany("welcomeEmail", "one welcome e-mail per user every " + seconds(resendIntervalMillis)
                    + " s; try again in " + seconds(resendIntervalMillis - sinceLast) + " s");
        }
        if (recent.size() >= perDay) {
            long wait = Duration.between(now, recent.get(recent.size() - 1).plusDays(1)).toMillis();
            throw Problem.tooMany("welcomeEmail", "at most " + perDay + " welcome e-mails per user a day; try again in "
                    + seconds(wait) + " s");
        }
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** A fresh temporary password, hashed and sealed; the slow Argon2 work happens here, outside any transaction. */
    public record Prepared(String hash, String sealed) {
        @Override
        public String toString() {
            return "Prepared[***]";
        }
    }

    public Prepared prepare() {
        String password = Secrets.random(PASSWORD_LENGTH);
        return new Prepared(PasswordHasher.hash(password), secrets.seal(password));
    }

    /**
     * Within the caller's transaction: sets the user's portal password hash, retires any older unsent
     * welcome e-mail (its password no longer works) and writes the new one to the outbox.
     */
    public void queue(DSLContext tx, String accountId, String userId, String recipient, Prepared prepared) {
        requireAllowed(tx, userId);
        OffsetDateTime now = OffsetDateTime.now();
        // A temporary password: the user must choose their own at the first login.
        tx.update(APP_USER).set(APP_USER.PORTAL_PASSWORD_HASH, prepared.hash())
                .setNull(APP_USER.PORTAL_PASSWORD_CHANGED_AT).where(APP_USER.ID.eq(userId)).execute();
        tx.update(EMAIL_OUTBOX).set(EMAIL_OUTBOX.STATUS, EmailStatus.SUPERSEDED).setNull(EMAIL_OUTBOX.PASSWORD_ENC)
                .where(EMAIL_OUTBOX.USER_ID.eq(userId)).and(EMAIL_OUTBOX.STATUS.eq(EmailStatus.PENDING)).execute();
        tx.insertInto(EMAIL_OUTBOX)
                .set(EMAIL_OUTBOX.ID, UUID.randomUUID().toString())
                .set(EMAIL_OUTBOX.ACCOUNT_ID, accountId)
                .set(EMAIL_OUTBOX.USER_ID, userId)
                .set(EMAIL_OUTBOX.KIND, KIND)
                .set(EMAIL_OUTBOX.RECIPIENT, recipient)
                .set(EMAIL_OUTBOX.PASSWORD_ENC, prepared.sealed())
                .set(EMAIL_OUTBOX.STATUS, EmailStatus.PENDING)
                .set(EMAIL_OUTBOX.ATTEMPTS, 0)
                .set(EMAIL_OUTBOX.NEXT_ATTEMPT_AT, now)
                .set(EMAIL_OUTBOX.CREATED_AT, now)
                .execute();
    }

    /** The newest welcome e-mail of the user, if one was ever queued. */
    public static Optional<EmailStatus> status(DSLContext dsl, String userId) {
        return dsl.select(EMAIL_OUTBOX.STATUS, EMAIL_OUTBOX.ATTEMPTS, EMAIL_OUTBOX.LAST_ERROR).from(EMAIL_OUTBOX)
                .where(EMAIL_OUTBOX.USER_ID.eq(userId)).and(EMAIL_OUTBOX.KIND.eq(KIND))
                .and(EMAIL_OUTBOX.STATUS.ne(EmailStatus.SUPERSEDED))
                .orderBy(EMAIL_OUTBOX.CREATED_AT.desc()).limit(1)
                .fetchOptional(r -> new EmailStatus(r.value1(), r.value2(), r.value3()));
    }
}
