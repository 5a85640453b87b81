package dialtone.mail;

import dialtone.directory.DirectoryEvent;
import dialtone.directory.EmailStatus;
import dialtone.directory.PortalPasswords;
import static dialtone.store.generated.Tables.ACCOUNT;
import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.EMAIL_OUTBOX;

import dialtone.config.DialtoneConfig;
import dialtone.security.SecretBox;
import dialtone.core.DaemonThreads;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.EmailOutboxRecord;
import dialtone.templates.TemplateEngine;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox on one background thread: due e-mails are sent, failures are retried with
 * exponential back-off, a permanent SMTP refusal or too many attempts mark the e-mail failed. Because
 * the outbox is in the database, pending mail survives a restart. Each attempt first leases its e-mail,
 * so several instances sharing a database do not send it twice. Delivery is still at least once: a crash
 * between the SMTP server's "250 OK" and the database update would send that e-mail again.
 */
public final class OutboxSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    private static final int BATCH = 50;
    private static final long MAX_POLL_MILLIS = 5_000;
    private final Database db;
    private final SecretBox secrets;
    private final DialtoneConfig.Smtp config;
    private final SmtpMailer mailer;
    private final WelcomeMessage welcome;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean wakePending = new AtomicBoolean();

    /** @param templates the template engine in service now, which renders {@code email/welcome.vm} */
    public OutboxSender(Database db, SecretBox secrets, DialtoneConfig.Smtp config, Supplier<TemplateEngine> templates,
                        String portalUrl) {
        this(db, secrets, config, templates, () -> portalUrl);
    }

    /** @param portalUrl the portal's address, asked each time an e-mail is rendered */
    public OutboxSender(Database db, SecretBox secrets, DialtoneConfig.Smtp config, Supplier<TemplateEngine> templates,
                        Supplier<String> portalUrl) {
        this.db = db;
        this.secrets = secrets;
        this.config = config;
        this.mailer = new SmtpMailer(config);
        this.welcome = new WelcomeMessage(templates, portalUrl);
        this.thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("dialtone-mail"));
    }

    /** Starts polling; the poll interval is short enough to honour the first retry delay. */
    public void start() {
        long poll = Math.min(MAX_POLL_MILLIS, config.retryInitialMillis());
        thread.scheduleWithFixedDelay(this::deliverDueSafely, 0, poll, TimeUnit.MILLISECONDS);
    }

    /** Delivers due mail now rather than at the next poll. */
    /** A committed change that queued mail starts delivery at once, without waiting for the next poll. */
    public void changed(DirectoryEvent event) {
        if (event instanceof DirectoryEvent.WelcomeEmailQueued || event instanceof DirectoryEvent.MailQueued) {
            wake();
        }
    }

    public void wake() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    wakePending.set(false);
                    deliverDueSafely();
                });
            } catch (RejectedExecutionException stopping) {
                wakePending.set(false);
            }
        }
    }

    private void deliverDueSafely() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            // The database may be closing or briefly unavailable; the next poll tries again.
            LOG.warn("outbox: cannot read pending mail: {}", e.toString());
        }
    }

    void deliverDue() {
        List<EmailOutboxRecord> due;
        do {
            due = db.dsl().selectFrom(EMAIL_OUTBOX)
                    .where(EMAIL_OUTBOX.STATUS.eq(EmailStatus.PENDING))
                    .and(EMAIL_OUTBOX.NEXT_ATTEMPT_AT.le(OffsetDateTime.now()))
                    .orderBy(EMAIL_OUTBOX.NEXT_ATTEMPT_AT).limit(BATCH).fetch();
            for (EmailOutboxRecord row : due) {
                // An unreachable server would cost every other e-mail a full timeout now; they wait for the next poll.
                if (thread.isShutdown() || !deliver(row)) {
                    return;
                }
            }
        } while (due.size() == BATCH);
    }

    /** Tries one e-mail; returns false when the SMTP server could not be reached. */
    private boolean deliver(EmailOutboxRecord row) {
        var user = db.dsl().select(APP_USER.FIRST_NAME, APP_USER.LAST_NAME, APP_USER.USERNAME, ACCOUNT.NAME)
                .from(APP_USER).join(ACCOUNT).on(ACCOUNT.ID.eq(APP_USER.ACCOUNT_ID))
                .where(APP_USER.ID.eq(row.getUserId())).fetchOne();
        if (user == null || row.getPasswordEnc() == null) {
            finish(row, EmailStatus.FAILED, "the user or the e-mail's password no longer exists");
            return true;
        }
        if (!claim(row)) {
            return true;
        }
        int attempt = row.getAttempts() + 1;
        row.setAttempts(attempt);
        try {
            String secret = secrets.open(row.getPasswordEnc());
            var recipient = new WelcomeMessage.Recipient(user.value1(), user.value2(), user.value3(),
                    row.getRecipient(), user.value4());
            mailer.send(row.getRecipient(), PortalPasswords.RESET_KIND.equals(row.getKind())
                    ? welcome.renderReset(recipient, secret, PortalPasswords.RESET_VALIDITY.toMinutes())
                    : welcome.render(recipient, secret));
            finish(row, EmailStatus.SENT, null);
            LOG.info("outbox: {} e-mail {} for user {} sent (attempt {})", row.getKind(), row.getId(), row.getUserId(),
                    attempt);
            return true;
        } catch (Exception e) {
            DeliveryFailure failure = DeliveryFailure.of(e);
            if (failure.permanent()) {
                finish(row, EmailStatus.FAILED, failure.reason());
                LOG.warn("outbox: e-mail {} refused permanently: {}", row.getId(), failure.detail());
            } else if (attempt >= config.maxAttempts()) {
                finish(row, EmailStatus.FAILED, "gave up after " + attempt + " attempts; last: " + failure.reason());
                LOG.warn("outbox: e-mail {} failed after {} attempts: {}", row.getId(), attempt, failure.detail());
            } else {
                long delay = backoffMillis(attempt);
                row.setLastError(failure.reason());
                row.setNextAttemptAt(OffsetDateTime.now().plusNanos(delay * 1_000_000));
                store(row);
                LOG.info("outbox: e-mail {} attempt {} failed, retrying in {} ms: {}", row.getId(), attempt, delay,
                        failure.detail());
            }
            return !failure.unreachable();
        }
    }

    /**
     * Leases the e-mail for this attempt by moving its due time past the SMTP conversation's worst case,
     * so that another Dialtone sharing the database skips it, and a crash mid-send only delays a retry.
     */
    private boolean claim(EmailOutboxRecord row) {
        OffsetDateTime now = OffsetDateTime.now();
        return db.dsl().update(EMAIL_OUTBOX)
                .set(EMAIL_OUTBOX.NEXT_ATTEMPT_AT, now.plusNanos(config.timeoutMillis() * 4_000_000L))
                .where(EMAIL_OUTBOX.ID.eq(row.getId())).and(EMAIL_OUTBOX.STATUS.eq(EmailStatus.PENDING))
                .and(EMAIL_OUTBOX.NEXT_ATTEMPT_AT.le(now))
                .execute() == 1;
    }

    /** The delay after the given number of failed attempts: initial, doubled each time, capped. */
    long backoffMillis(int attempts) {
        long delay = config.retryInitialMillis();
        for (int i = 1; i < attempts && delay < config.retryMaxMillis(); i++) {
            delay *= 2;
        }
        return Math.min(delay, config.retryMaxMillis());
    }

    private void finish(EmailOutboxRecord row, String status, String error) {
        row.setStatus(status);
        row.setLastError(error);
        // The temporary password has done its job (or never will): drop the sealed copy.
        row.setPasswordEnc(null);
        if (EmailStatus.SENT.equals(status)) {
            row.setSentAt(OffsetDateTime.now());
        }
        store(row);
    }

    /** Writes the outcome unless the row was superseded meanwhile (a resend replaced it). */
    private void store(EmailOutboxRecord row) {
        db.dsl().update(EMAIL_OUTBOX)
                .set(EMAIL_OUTBOX.STATUS, row.getStatus())
                .set(EMAIL_OUTBOX.ATTEMPTS, row.getAttempts())
                .set(EMAIL_OUTBOX.LAST_ERROR, row.getLastError())
                .set(EMAIL_OUTBOX.PASSWORD_ENC, row.getPasswordEnc())
                .set(EMAIL_OUTBOX.NEXT_ATTEMPT_AT, row.getNextAttemptAt())
                .set(EMAIL_OUTBOX.SENT_AT, row.getSentAt())
                .where(EMAIL_OUTBOX.ID.eq(row.getId())).and(EMAIL_OUTBOX.STATUS.eq(EmailStatus.PENDING))
                .execute();
    }

    /** Stops after the e-mail in hand, if any: an SMTP conversation is not cut in the middle. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(config.timeoutMillis() * 3L, TimeUnit.MILLISECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
