package dialtone.directory;

import static dialtone.store.generated.Tables.ACCOUNT;
import static dialtone.store.generated.Tables.PORTAL_ADMIN;

import dialtone.core.FieldError;
import dialtone.core.Problem;
import dialtone.security.PasswordHasher;
import dialtone.security.Secrets;
import dialtone.store.AuditLog;
import dialtone.store.Constraints;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.PortalAdminRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jooq.exception.DataAccessException;

/**
 * Administrators of the portal: created with a one-time password (Argon2id hash only), which they must
 * replace at their first login; authenticated by username and password with the same work whether or not
 * the username exists.
 */
public final class AdministratorService {

    static final int ONE_TIME_PASSWORD_LENGTH = 20;
    private static final Set<String> ROLES = Set.of(Administrator.OPERATOR, Administrator.ADMIN,
            Administrator.TECHNICIAN);
    private final Database db;

    public AdministratorService(Database db) {
        this.db = db;
    }

    public CreatedAdministrator create(String actor, String username, String role, String accountId) {
        List<FieldError> errors = new ArrayList<>();
        Rules.username(errors, username);
        if (Rules.required(errors, "role", role) && !ROLES.contains(role)) {
            errors.add(new FieldError("role", "must be one of operator, admin, technician"));
        }
        if (Administrator.OPERATOR.equals(role) && accountId != null) {
            errors.add(new FieldError("accountId", "an operator belongs to no account"));
        } else if (role != null && !Administrator.OPERATOR.equals(role) && accountId == null) {
            errors.add(new FieldError("accountId", "is required for admin and technician"));
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        String password = Secrets.random(ONE_TIME_PASSWORD_LENGTH);
        String hash = PasswordHasher.hash(password);
        try {
            Administrator created = db.inTransaction(tx -> {
                if (accountId != null && !tx.fetchExists(ACCOUNT, ACCOUNT.ID.eq(accountId))) {
                    throw Problem.badField("accountId", "no such account");
                }
                if (tx.fetchExists(PORTAL_ADMIN, PORTAL_ADMIN.USERNAME_KEY.eq(username.toLowerCase(Locale.ROOT)))) {
                    throw Problem.conflict("username", "is already taken");
                }
                PortalAdminRecord row = tx.newRecord(PORTAL_ADMIN);
                row.setId(Ids.newId());
                row.setUsername(username);
                row.setUsernameKey(username.toLowerCase(Locale.ROOT));
                row.setPasswordHash(hash);
                row.setRole(role);
                row.setAccountId(accountId);
                row.setMustChangePassword(true);
                row.setCreatedAt(OffsetDateTime.now());
                row.store();
                AuditLog.record(tx, actor, accountId, "administrator.create", "administrator", row.getId(),
                        "username=" + username + " role=" + role);
                return toAdministrator(row);
            });
            return new CreatedAdministrator(created, password);
        } catch (DataAccessException e) {
            if (Constraints.uniqueViolation(e).isPresent()) {
                throw Problem.conflict("username", "is already taken");
            }
            throw e;
        }
    }

    /** Lists administrators, only one account's when {@code accountId} is given. */
    public Page<Administrator> list(String accountId, String after, int limit) {
        var query = db.dsl().selectFrom(PORTAL_ADMIN).where(PORTAL_ADMIN.ID.gt(after == null ? "" : after));
        if (accountId != null) {
            query = query.and(PORTAL_ADMIN.ACCOUNT_ID.eq(accountId));
        }
        return Page.of(query.orderBy(PORTAL_ADMIN.ID).limit(limit + 1).fetch(AdministratorService::toAdministrator),
                limit, Administrator::id);
    }

    public Optional<Administrator> find(String id) {
        return db.dsl().selectFrom(PORTAL_ADMIN).where(PORTAL_ADMIN.ID.eq(id)).fetchOptional()
                .map(AdministratorService::toAdministrator);
    }

    /** Deletes an administrator (only of {@code accountId} when given); false when there is none to delete. */
    public boolean delete(String actor, String accountId, String id) {
        return db.inTransaction(tx -> {
            var where = PORTAL_ADMIN.ID.eq(id);
            if (accountId != null) {
                where = where.and(PORTAL_ADMIN.ACCOUNT_ID.eq(accountId));
            }
            PortalAdminRecord row = tx.selectFrom(PORTAL_ADMIN).where(where).forUpdate().fetchOne();
            if (row == null) {
                return false;
            }
            row.delete();
            AuditLog.record(tx, actor, row.getAccountId(), "administrator.delete", "administrator", id,
                    "username=" + row.getUsername());
            return true;
        });
    }

    /** The administrator whose username and password these are; the same Argon2 work when the name is unknown. */
    public Optional<Administrator> authenticate(String username, String password) {
        PortalAdminRecord row = username == null ? null : db.dsl().selectFrom(PORTAL_ADMIN)
                .where(PORTAL_ADMIN.USERNAME_KEY.eq(username.toLowerCase(Locale.ROOT))).fetchOne();
        boolean valid = PortalPasswords.verifyEvenIfMissing(password, row == null ? null : row.getPasswordHash());
        return valid && row != null ? Optional.of(toAdministrator(row)) : Optional.empty();
    }

    /** Replaces the password (the one-time one at first login) after checking the current one and the policy. */
    public void changePassword(String actor, String id, String current, String replacement) {
        PortalAdminRecord row = db.dsl().selectFrom(PORTAL_ADMIN).where(PORTAL_ADMIN.ID.eq(id)).fetchOne();
        if (row == null) {
            throw Problem.notFound("administrator " + id);
        }
        String hash = PortalPasswords.checkNew(row.getUsername(), current, row.getPasswordHash(), replacement);
        db.inTransaction(tx -> {
            tx.update(PORTAL_ADMIN).set(PORTAL_ADMIN.PASSWORD_HASH, hash).set(PORTAL_ADMIN.MUST_CHANGE_PASSWORD, false)
                    .where(PORTAL_ADMIN.ID.eq(id)).execute();
            AuditLog.record(tx, actor, row.getAccountId(), "administrator.password.change", "administrator", id, null);
            return null;
        });
    }

    private static Administrator toAdministrator(PortalAdminRecord r) {
        return new Administrator(r.getId(), r.getUsername(), r.getRole(), r.getAccountId(), r.getMustChangePassword(),
                r.getCreatedAt());
    }
}
