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
import java.util.Set;

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
            row.setEnabled(true);
            row.setCreatedAt(OffsetDateTime.now());
            row.store();
            changes.account(tx, actor, "account.create", id, "name=" + row.getName());
            return toAccount(row);
        });
    }

    /** Changes what {@code change} names; a disabled account's users are refused by the SIP directory at once. */
    public Account update(String actor, String id, AccountChange change) {
        List<FieldError> errors = new ArrayList<>();
        if (change.name() != null) {
            Rules.text(errors, "name", change.name(), 200);
        }
        validateSip(errors, change);
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        return db.inTransaction(tx -> {
            AccountRecord row = tx.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                throw Problem.notFound("account " + id);
            }
            if (change.name() != null) {
                row.setName(change.name().trim());
            }
            if (change.autoResync() != null) {
                row.setAutoResync(change.autoResync());
            }
            if (change.enabled() != null) {
                row.setEnabled(change.enabled());
            }
            applySip(row, change);
            row.store();
            Account account = toAccount(row);
            changes.account(tx, actor, "account.update", id, "name=" + row.getName() + " autoResync="
                    + row.getAutoResync() + " enabled=" + row.getEnabled() + " sip=" + account.sip());
            return account;
        });
    }

    private static void validateSip(List<FieldError> errors, AccountChange change) {
        AccountSip sip = change.sip();
        for (String field : change.sipFields()) {
            String name = "sip." + field;
            switch (field) {
                case "domain" -> optionalHost(errors, name, sip.domain());
                case "registrar" -> optionalHost(errors, name, sip.registrar());
                case "realm" -> optionalHost(errors, name, sip.realm());
                case "port" -> {
                    if (sip.port() != null) {
                        Rules.between(errors, name, sip.port(), 1, 65535);
                    }
                }
                case "transport" -> {
                    if (sip.transport() != null && !List.of("udp", "tcp", "tls").contains(sip.transport())) {
                        errors.add(new FieldError(name, "must be one of udp, tcp, tls"));
                    }
                }
                default -> errors.add(new FieldError(name, "is not an account SIP setting"));
            }
        }
    }

    private static void optionalHost(List<FieldError> errors, String field, String value) {
        if (value != null && !value.isEmpty()) {
            Rules.host(errors, field, value);
        }
    }

    private static void applySip(AccountRecord row, AccountChange change) {
        AccountSip sip = change.sip();
        Set<String> fields = change.sipFields();
        if (fields.contains("domain")) {
            row.setSipDomain(blankToNull(sip.domain()));
        }
        if (fields.contains("registrar")) {
            row.setSipRegistrar(blankToNull(sip.registrar()));
        }
        if (fields.contains("realm")) {
            row.setSipRealm(blankToNull(sip.realm()));
        }
        if (fields.contains("port")) {
            row.setSipPort(sip.port());
        }
        if (fields.contains("transport")) {
            row.setSipTransport(blankToNull(sip.transport()));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
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

    static Account toAccount(AccountRecord r) {
        return new Account(r.getId(), r.getName(), r.getAutoResync(), r.getEnabled(), new AccountSip(r.getSipDomain(),
                r.getSipRegistrar(), r.getSipPort(), r.getSipTransport(), r.getSipRealm()), r.getCreatedAt());
    }
}
