package dialtone.directory;

import static dialtone.store.generated.Tables.ACCOUNT;
import static dialtone.store.generated.Tables.ACCOUNT_POLICY;
import static dialtone.store.generated.Tables.API_TOKEN;
import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.DEVICE;
import static dialtone.store.generated.Tables.EMAIL_OUTBOX;
import static dialtone.store.generated.Tables.LOCATION;

import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.AccountRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tenants: create, list, look up. */
public final class AccountService {

    private final Database db;
    private final Changes changes;

    public AccountService(Database db, Changes changes) {
        this.db = db;
        this.changes = changes;
    }

    public Account create(String actor, String name) {
        List<FieldError> errors = new ArrayList<>();
        Rules.text(errors, "name", name, 200);
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        String id = Ids.newId();
        return db.inTransaction(tx -> {
            AccountRecord row = tx.newRecord(ACCOUNT);
            row.setId(id);
            row.setName(name.trim());
            row.setAutoResync(false);
            row.setCreatedAt(OffsetDateTime.now());
            row.store();
            changes.account(tx, actor, "account.create", id, "name=" + row.getName());
            return toAccount(row);
        });
    }

    /** Changes the name and/or the auto-resync setting; null leaves a field as it is. */
    public Account update(String actor, String id, String name, Boolean autoResync) {
        List<FieldError> errors = new ArrayList<>();
        if (name != null) {
            Rules.text(errors, "name", name, 200);
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        return db.inTransaction(tx -> {
            AccountRecord row = tx.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(id)).forUpdate().fetchOne();
            if (name != null) {
                row.setName(name.trim());
            }
            if (autoResync != null) {
                row.setAutoResync(autoResync);
            }
            row.store();
            changes.account(tx, actor, "account.update", id, "name=" + row.getName() + " autoResync=" + row.getAutoResync());
            return toAccount(row);
        });
    }

    /**
     * Deletes the account. One with users is refused with 409 and the counts unless {@code force}: then its users,
     * devices, locations, tokens, policy and queued e-mail go with it (the audit trail stays). Each deleted
     * device is announced, so the phone side removes its uploads.
     */
    public void delete(String actor, String id, boolean force) {
        db.inTransaction(tx -> {
            AccountRecord row = tx.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                throw Problem.notFound("account " + id);
            }
            int users = tx.fetchCount(APP_USER, APP_USER.ACCOUNT_ID.eq(id));
            int devices = tx.fetchCount(DEVICE, DEVICE.ACCOUNT_ID.eq(id));
            if (!force && (users > 0 || devices > 0)) {
                throw Problem.conflict("account", "the account has " + users + " users and " + devices
                        + " devices; delete them first or repeat with ?force=true");
            }
            List<String> deleted = tx.select(DEVICE.MAC).from(DEVICE).where(DEVICE.ACCOUNT_ID.eq(id)).fetch(DEVICE.MAC);
            tx.deleteFrom(DEVICE).where(DEVICE.ACCOUNT_ID.eq(id)).execute();
            tx.deleteFrom(EMAIL_OUTBOX).where(EMAIL_OUTBOX.ACCOUNT_ID.eq(id)).execute();
            tx.deleteFrom(APP_USER).where(APP_USER.ACCOUNT_ID.eq(id)).execute();
            tx.deleteFrom(LOCATION).where(LOCATION.ACCOUNT_ID.eq(id)).execute();
            tx.deleteFrom(API_TOKEN).where(API_TOKEN.ACCOUNT_ID.eq(id)).execute();
            tx.deleteFrom(ACCOUNT_POLICY).where(ACCOUNT_POLICY.ACCOUNT_ID.eq(id)).execute();
            row.delete();
            for (String mac : deleted) {
                changes.record(tx, actor, "device.delete", new DirectoryEvent.DeviceDeleted(id, mac), "device", mac,
                        "with the account");
            }
            changes.account(tx, actor, "account.delete", id, "name=" + row.getName() + " users=" + users
                    + " devices=" + devices);
            return deleted;
        });
    }

    public Optional<Account> find(String id) {
        return db.dsl().selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(id)).fetchOptional().map(AccountService::toAccount);
    }

    /** Lists accounts, optionally only the one a scoped caller may see. */
    public Page<Account> list(String onlyId, String after, int limit) {
        var query = db.dsl().selectFrom(ACCOUNT).where(ACCOUNT.ID.gt(after == null ? "" : after));
        if (onlyId != null) {
            query = query.and(ACCOUNT.ID.eq(onlyId));
        }
        List<Account> rows = query.orderBy(ACCOUNT.ID).limit(limit + 1).fetch(AccountService::toAccount);
        return Page.of(rows, limit, Account::id);
    }

    private static Account toAccount(AccountRecord r) {
        return new Account(r.getId(), r.getName(), r.getAutoResync(), r.getCreatedAt());
    }
}
