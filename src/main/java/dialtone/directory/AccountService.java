package dialtone.directory;

import static dialtone.store.generated.Tables.ACCOUNT;
import static dialtone.store.generated.Tables.ACCOUNT_POLICY;
import static dialtone.store.generated.Tables.API_TOKEN;
import static dialtone.store.generated.Tables.API_TOKEN_ACCOUNT;
import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.DEVICE;
import static dialtone.store.generated.Tables.EMAIL_OUTBOX;
import static dialtone.store.generated.Tables.LOCATION;

import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.store.AuditLog;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.AccountRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;

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
            dropFromPbxTokens(tx, actor, id);
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

    /**
     * A pbx token scoped to a deleted account no longer covers it; one left without accounts is revoked, since no
     * accounts would otherwise mean every account.
     */
    private static void dropFromPbxTokens(DSLContext tx, String actor, String accountId) {
        List<String> scoped = tx.select(API_TOKEN_ACCOUNT.TOKEN_ID).from(API_TOKEN_ACCOUNT)
                .where(API_TOKEN_ACCOUNT.ACCOUNT_ID.eq(accountId)).fetch(API_TOKEN_ACCOUNT.TOKEN_ID);
        tx.deleteFrom(API_TOKEN_ACCOUNT).where(API_TOKEN_ACCOUNT.ACCOUNT_ID.eq(accountId)).execute();
        for (String token : scoped) {
            if (!tx.fetchExists(API_TOKEN_ACCOUNT, API_TOKEN_ACCOUNT.TOKEN_ID.eq(token))) {
                tx.update(API_TOKEN).set(API_TOKEN.REVOKED, true).where(API_TOKEN.ID.eq(token)).execute();
                AuditLog.record(tx, actor, null, "token.revoke", "token", token, "its only account was deleted");
            }
        }
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
