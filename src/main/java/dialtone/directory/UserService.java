package dialtone.directory;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.DEVICE;
import static dialtone.store.generated.Tables.LOCATION;

import dialtone.security.PasswordHasher;
import dialtone.security.SecretBox;
import dialtone.security.Secrets;
import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.store.Constraints;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.AppUserRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.exception.DataAccessException;

/** Users of an account: create (with generated SIP credentials), read, change, delete. */
public final class UserService {

    /** The same words whichever account holds the name: the rule is global, the holder is not told. */
    static final String EXTENSION_USED = "is already used in this account";
    static final String USERNAME_TAKEN = "is already taken (usernames are unique across all accounts)";

    static final int SIP_PASSWORD_LENGTH = 24;
    private final Database db;
    private final Changes changes;
    private final SecretBox secrets;
    private final WelcomeEmails welcome;

    public UserService(Database db, Changes changes, SecretBox secrets, WelcomeEmails welcome) {
        this.db = db;
        this.changes = changes;
        this.secrets = secrets;
        this.welcome = welcome;
    }

    public CreatedUser create(String actor, String accountId, UserInput in) {
        List<FieldError> errors = validateNew(in);
        NewUserSecrets hashed = errors.isEmpty() ? hashSecrets(in) : NewUserSecrets.NONE;
        CreatedUser created;
        try {
            created = db.inTransaction(tx -> insert(tx, actor, accountId, in, errors, hashed));
        } catch (DataAccessException e) {
            throw uniqueConflict(e);
        }
        return created;
    }

    /** The field errors of a new user's input (references and uniqueness are checked in the transaction). */
    static List<FieldError> validateNew(UserInput in) {
        List<FieldError> errors = new ArrayList<>();
        validateFields(errors, in, true);
        return errors;
    }

    /** Hashes of what a person may type or receive (PIN, temporary portal password): slow on purpose. */
    NewUserSecrets hashSecrets(UserInput in) {
        String pinHash = in.has("pin") && in.pin() != null ? PasswordHasher.hash(in.pin()) : null;
        WelcomeEmails.Prepared mail = Boolean.TRUE.equals(in.sendWelcomeEmail()) ? welcome.prepare() : null;
        return new NewUserSecrets(pinHash, mail);
    }

    /** Pre-computed secrets of a new user, so that the transaction does no Argon2 work. */
    record NewUserSecrets(String pinHash, WelcomeEmails.Prepared welcome) {
        static final NewUserSecrets NONE = new NewUserSecrets(null, null);

        @Override
        public String toString() {
            return "NewUserSecrets[***]";
        }
    }

    /** Inserts the user (and queues its welcome e-mail) in the caller's transaction. */
    CreatedUser insert(DSLContext tx, String actor, String accountId, UserInput in, List<FieldError> errors,
                       NewUserSecrets hashed) {
        checkReferences(tx, errors, accountId, null, in);
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        checkUnique(tx, accountId, null, in.username(), in.extension());
        Credentials sip = new Credentials("u" + Secrets.random(11).toLowerCase(Locale.ROOT), Secrets.random(SIP_PASSWORD_LENGTH));
        OffsetDateTime now = OffsetDateTime.now();
        AppUserRecord row = tx.newRecord(APP_USER);
        row.setId(Ids.newId());
        row.setAccountId(accountId);
        apply(row, in);
        row.setEmailVoicemails(Boolean.TRUE.equals(in.emailVoicemails()));
        row.setAuthorizedUser(Boolean.TRUE.equals(in.authorizedUser()));
        row.setPinHash(hashed.pinHash());
        row.setSipUsername(sip.username());
        row.setSipPasswordEnc(secrets.seal(sip.password()));
        row.setE911Confirmed(false);
        row.setCreatedAt(now);
        row.setUpdatedAt(now);
        row.store();
        changes.user(tx, actor, "user.create", accountId, row.getId(), "username=" + row.getUsername());
        if (hashed.welcome() != null) {
            queueWelcome(tx, actor, accountId, row.getId(), row.getEmail(), hashed.welcome());
        }
        return new CreatedUser(toUser(tx, row), sip);
    }

    private void queueWelcome(DSLContext tx, String actor, String accountId, String userId, String email,
                              WelcomeEmails.Prepared mail) {
        welcome.queue(tx, accountId, userId, email, mail);
        changes.record(tx, actor, "user.welcome-email", new DirectoryEvent.WelcomeEmailQueued(accountId, userId),
                "user", userId, "queued");
    }

    /** Queues a fresh welcome e-mail with a new temporary portal password; the previous one stops working. */
    public EmailStatus sendWelcomeEmail(String actor, String accountId, String userId) {
        if (find(accountId, userId).isEmpty()) {
            throw Problem.notFound("user " + userId);
        }
        WelcomeEmails.Prepared mail = welcome.prepare();
        EmailStatus status = db.inTransaction(tx -> {
            AppUserRecord row = fetchRow(tx, accountId, userId);
            queueWelcome(tx, actor, accountId, userId, row.getEmail(), mail);
            return WelcomeEmails.status(tx, userId).orElseThrow();
        });
        return status;
    }

    public User update(String actor, String accountId, String userId, UserInput in) {
        List<FieldError> errors = new ArrayList<>();
        WelcomeEmails.Prepared mail = Boolean.TRUE.equals(in.sendWelcomeEmail()) && find(accountId, userId).isPresent()
                ? welcome.prepare() : null;
        try {
            User updated = db.inTransaction(tx -> {
                AppUserRecord row = fetchRow(tx, accountId, userId);
                String previousLocation = row.getLocationId();
                UserInput merged = merge(row, in);
                if (!row.getExtension().equals(merged.extension())) {
                    refuseWhileForwardedTo(tx, accountId, row, "extension", "change the extension");
                }
                validateFields(errors, merged, in.has("pin") || (in.has("authorizedUser") && row.getPinHash() == null));
                checkReferences(tx, errors, accountId, userId, merged);
                if (!errors.isEmpty()) {
                    throw Problem.badRequest(errors);
                }
                checkUnique(tx, accountId, userId, merged.username(), merged.extension());
                apply(row, merged);
                row.setEmailVoicemails(Boolean.TRUE.equals(merged.emailVoicemails()));
                row.setAuthorizedUser(Boolean.TRUE.equals(merged.authorizedUser()));
                if (!row.getAuthorizedUser()) {
                    row.setPinHash(null);
                } else if (in.has("pin")) {
                    row.setPinHash(PasswordHasher.hash(in.pin()));
                }
                if (!previousLocation.equals(row.getLocationId()) && row.getE911Street() == null) {
                    // The pre-filled E911 address follows the location; the new one has not been confirmed.
                    row.setE911Confirmed(false);
                }
                row.setUpdatedAt(OffsetDateTime.now());
                row.store();
                changes.user(tx, actor, "user.update", accountId, userId, "fields=" + in.present());
                if (mail != null) {
                    queueWelcome(tx, actor, accountId, userId, row.getEmail(), mail);
                }
                return toUser(tx, row);
            });
            return updated;
        } catch (DataAccessException e) {
            throw uniqueConflict(e);
        }
    }

    /** Gives the user a new random SIP password (inside the caller's transaction) and returns it. */
    String rotateSipPassword(DSLContext tx, String userId) {
        String password = Secrets.random(SIP_PASSWORD_LENGTH);
        tx.update(APP_USER).set(APP_USER.SIP_PASSWORD_ENC, secrets.seal(password))
                .set(APP_USER.UPDATED_AT, OffsetDateTime.now()).where(APP_USER.ID.eq(userId)).execute();
        return password;
    }

    public void delete(String actor, String accountId, String userId) {
        db.inTransaction(tx -> {
            AppUserRecord row = fetchRow(tx, accountId, userId);
            refuseWhileForwardedTo(tx, accountId, row, "user", "delete the user");
            tx.update(DEVICE).setNull(DEVICE.USER_ID).where(DEVICE.USER_ID.eq(userId)).execute();
            row.delete();
            changes.record(tx, actor, "user.delete", new DirectoryEvent.UserDeleted(accountId, userId), "user", userId, "username=" + row.getUsername());
            return null;
        });
    }

    /**
     * Another user's "unreachable" forward may name this user's extension: while one does, the extension may not
     * change nor the user go, or calls would follow the digits to whoever holds them next.
     */
    private static void refuseWhileForwardedTo(DSLContext tx, String accountId, AppUserRecord row, String field,
                                               String what) {
        List<String> forwarders = tx.select(APP_USER.USERNAME).from(APP_USER).where(APP_USER.ACCOUNT_ID.eq(accountId))
                .and(APP_USER.UNREACHABLE_FORWARD.eq(row.getExtension())).and(APP_USER.ID.ne(row.getId()))
                .orderBy(APP_USER.USERNAME).limit(5).fetch(APP_USER.USERNAME);
        if (!forwarders.isEmpty()) {
            throw Problem.conflict(field, "cannot " + what + ": the unreachable forward of " + String.join(", ",
                    forwarders) + " points at extension " + row.getExtension() + "; change that forward first");
        }
    }

    public Optional<User> find(String accountId, String userId) {
        DSLContext dsl = db.dsl();
        return dsl.selectFrom(APP_USER).where(APP_USER.ACCOUNT_ID.eq(accountId)).and(APP_USER.ID.eq(userId))
                .fetchOptional().map(r -> toUser(dsl, r));
    }

    /**
     * The account's users sorted by last name, first name (then id), optionally only those whose names, username,
     * extension, number or e-mail contain {@code query} (case-insensitive). {@code after} is a page's {@code next}.
     */
    public Page<User> list(String accountId, String query, String after, int limit) {
        Condition where = APP_USER.ACCOUNT_ID.eq(accountId);
        if (query != null && !query.isBlank()) {
            String q = query.strip();
            where = where.and(DSL.concat(APP_USER.FIRST_NAME, DSL.inline(" "), APP_USER.LAST_NAME).containsIgnoreCase(q)
                    .or(DSL.concat(APP_USER.LAST_NAME, DSL.inline(" "), APP_USER.FIRST_NAME).containsIgnoreCase(q))
                    .or(APP_USER.USERNAME.containsIgnoreCase(q)).or(APP_USER.EXTENSION.containsIgnoreCase(q))
                    .or(APP_USER.PHONE_NUMBER.containsIgnoreCase(q)).or(APP_USER.EMAIL.containsIgnoreCase(q)));
        }
        Field<String> last = DSL.lower(APP_USER.LAST_NAME);
        Field<String> first = DSL.lower(APP_USER.FIRST_NAME);
        if (after != null) {
            NameCursor cursor = NameCursor.parse(after);
            where = where.and(DSL.row(last, first, APP_USER.ID).gt(cursor.last(), cursor.first(), cursor.id()));
        }
        List<User> rows = db.dsl().select(APP_USER.asterisk(), LOCATION.TIME_ZONE).from(APP_USER)
                .join(LOCATION).on(LOCATION.ID.eq(APP_USER.LOCATION_ID))
                .where(where).orderBy(last, first, APP_USER.ID).limit(limit + 1)
                .fetch(r -> toUser(r.into(APP_USER), r.get(LOCATION.TIME_ZONE)));
        return Page.of(rows, limit, NameCursor::of);
    }

    /** The display names of those of {@code userIds} that are users of the account. */
    public Map<String, String> displayNames(String accountId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        return db.dsl().select(APP_USER.ID, APP_USER.FIRST_NAME, APP_USER.LAST_NAME).from(APP_USER)
                .where(APP_USER.ACCOUNT_ID.eq(accountId)).and(APP_USER.ID.in(userIds))
                .fetchMap(r -> r.value1(), r -> (r.value2() + " " + r.value3()).trim());
    }

    /** Replaces the user's SIP password with a new generated one, returned once; the old one is gone. */
    public Credentials rotateSipPassword(String actor, String accountId, String userId) {
        return db.inTransaction(tx -> {
            AppUserRecord row = fetchRow(tx, accountId, userId);
            String password = rotateSipPassword(tx, userId);
            changes.user(tx, actor, "user.sip-password.rotate", accountId, userId, null);
            return new Credentials(row.getSipUsername(), password);
        });
    }

    static AppUserRecord fetchRow(DSLContext tx, String accountId, String userId) {
        AppUserRecord row = tx.selectFrom(APP_USER).where(APP_USER.ACCOUNT_ID.eq(accountId))
                .and(APP_USER.ID.eq(userId)).forUpdate().fetchOne();
        if (row == null) {
            throw Problem.notFound("user " + userId);
        }
        return row;
    }

    private static void validateFields(List<FieldError> errors, UserInput in, boolean pinChecked) {
        Rules.text(errors, "firstName", in.firstName(), 100);
        Rules.text(errors, "lastName", in.lastName(), 100);
        Rules.username(errors, in.username());
        Rules.email(errors, in.email());
        Rules.extension(errors, "extension", in.extension());
        if (in.phoneNumber() != null) {
            Rules.e164(errors, "phoneNumber", in.phoneNumber());
        }
        if (in.unreachableForward() != null && !Rules.isExtension(in.unreachableForward())) {
            if (!Rules.isE164(in.unreachableForward())) {
                errors.add(new FieldError("unreachableForward",
                        "must be an E.164 number such as +14155552671 or an extension of this account"));
            }
        }
        Rules.required(errors, "locationId", in.locationId());
        if (in.timeZone() != null) {
            Rules.timeZone(errors, "timeZone", in.timeZone());
        }
        if (Boolean.TRUE.equals(in.authorizedUser()) && pinChecked) {
            Rules.pin(errors, in.pin());
        } else if (in.pin() != null && !Boolean.TRUE.equals(in.authorizedUser())) {
            errors.add(new FieldError("pin", "is only allowed for an authorized user (authorizedUser: true)"));
        }
    }

    private static void checkReferences(DSLContext tx, List<FieldError> errors, String accountId, String userId,
                                        UserInput in) {
        if (in.locationId() != null && !tx.fetchExists(LOCATION,
                LOCATION.ID.eq(in.locationId()).and(LOCATION.ACCOUNT_ID.eq(accountId)))) {
            errors.add(new FieldError("locationId", "no such location in this account"));
        }
        String forward = in.unreachableForward();
        if (forward != null && Rules.isExtension(forward)) {
            var sameAccount = APP_USER.ACCOUNT_ID.eq(accountId).and(APP_USER.EXTENSION.eq(forward));
            if (userId != null) {
                sameAccount = sameAccount.and(APP_USER.ID.ne(userId));
            }
            if (!tx.fetchExists(APP_USER, sameAccount)) {
                errors.add(new FieldError("unreachableForward", "no other user of this account has extension " + forward));
            }
        }
    }

    private static void checkUnique(DSLContext tx, String accountId, String userId, String username, String extension) {
        var sameName = APP_USER.USERNAME_KEY.eq(username.toLowerCase(Locale.ROOT));
        var sameExtension = APP_USER.ACCOUNT_ID.eq(accountId).and(APP_USER.EXTENSION.eq(extension));
        if (userId != null) {
            sameName = sameName.and(APP_USER.ID.ne(userId));
            sameExtension = sameExtension.and(APP_USER.ID.ne(userId));
        }
        if (tx.fetchExists(APP_USER, sameName)) {
            throw Problem.conflict("username", UserService.USERNAME_TAKEN);
        }
        if (tx.fetchExists(APP_USER, sameExtension)) {
            throw Problem.conflict("extension", EXTENSION_USED);
        }
    }

    static RuntimeException uniqueConflict(DataAccessException e) {
        Optional<String> violated = Constraints.uniqueViolation(e);
        if (violated.isEmpty()) {
            return e;
        }
        if (violated.get().equals("app_user_extension")) {
            return Problem.conflict("extension", EXTENSION_USED);
        }
        return Problem.conflict("username", UserService.USERNAME_TAKEN);
    }

    private static void apply(AppUserRecord row, UserInput in) {
        row.setFirstName(in.firstName().trim());
        row.setLastName(in.lastName().trim());
        row.setUsername(in.username());
        row.setUsernameKey(in.username().toLowerCase(Locale.ROOT));
        row.setEmail(in.email());
        row.setPhoneNumber(in.phoneNumber());
        row.setExtension(in.extension());
        row.setUnreachableForward(in.unreachableForward());
        row.setLocationId(in.locationId());
        row.setTimeZone(in.timeZone());
    }

    private static UserInput merge(AppUserRecord row, UserInput in) {
        return new UserInput(in.present(),
                in.has("firstName") ? in.firstName() : row.getFirstName(),
                in.has("lastName") ? in.lastName() : row.getLastName(),
                in.has("username") ? in.username() : row.getUsername(),
                in.has("email") ? in.email() : row.getEmail(),
                in.has("emailVoicemails") ? in.emailVoicemails() : row.getEmailVoicemails(),
                in.has("phoneNumber") ? in.phoneNumber() : row.getPhoneNumber(),
                in.has("extension") ? in.extension() : row.getExtension(),
                in.has("unreachableForward") ? in.unreachableForward() : row.getUnreachableForward(),
                in.has("locationId") ? in.locationId() : row.getLocationId(),
                in.has("timeZone") ? in.timeZone() : row.getTimeZone(),
                in.has("authorizedUser") ? in.authorizedUser() : row.getAuthorizedUser(),
                in.has("pin") ? in.pin() : null,
                in.sendWelcomeEmail());
    }

    /** The user as shown: the time zone is the user's own or, when none is set, the location's. */
    static User toUser(DSLContext dsl, AppUserRecord r) {
        return toUser(r, dsl.select(LOCATION.TIME_ZONE).from(LOCATION).where(LOCATION.ID.eq(r.getLocationId()))
                .fetchOne(LOCATION.TIME_ZONE));
    }

    private static User toUser(AppUserRecord r, String locationZone) {
        String zone = r.getTimeZone() != null ? r.getTimeZone() : locationZone;
        return new User(r.getId(), r.getAccountId(), r.getFirstName(), r.getLastName(), r.getUsername(), r.getEmail(),
                r.getEmailVoicemails(), r.getPhoneNumber(), r.getExtension(), r.getUnreachableForward(),
                r.getLocationId(), zone, r.getAuthorizedUser(), r.getSipUsername(), r.getCreatedAt(), r.getUpdatedAt());
    }
}
