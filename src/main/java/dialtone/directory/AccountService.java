package dialtone.directory;

import static dialtone.store.generated.Tables.ACCOUNT;

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
