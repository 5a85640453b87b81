package dialtone.directory;

import dialtone.core.Mac;

import static dialtone.store.generated.Tables.ACCOUNT;
import static dialtone.store.generated.Tables.DEVICE;

import dialtone.core.Problem;
import dialtone.store.Database;
import java.util.Map;

/** Reads and replaces the custom template variables of an account or of one of its devices. */
public final class VarsService {

    private final Database db;
    private final Changes changes;

    public VarsService(Database db, Changes changes) {
        this.db = db;
        this.changes = changes;
    }

    public Map<String, String> ofAccount(String accountId) {
        // An account whose variables were never set has none (a null column), not no account.
        return db.dsl().select(ACCOUNT.VARS).from(ACCOUNT).where(ACCOUNT.ID.eq(accountId))
                .fetchOptional().map(r -> TemplateVars.fromJson(r.value1()))
                .orElseThrow(() -> Problem.notFound("account " + accountId));
    }

    /** Replaces the account's variables; the audit record names the variables, never their values. */
    public Map<String, String> replaceForAccount(String actor, String accountId, Map<String, String> vars) {
        return db.inTransaction(tx -> {
            tx.update(ACCOUNT).set(ACCOUNT.VARS, TemplateVars.toJson(vars)).where(ACCOUNT.ID.eq(accountId)).execute();
            changes.account(tx, actor, "account.vars", accountId, "names=" + vars.keySet());
            return vars;
        });
    }

    public Map<String, String> ofDevice(String accountId, String macText) {
        String mac = Mac.normalise(macText).orElseThrow(() -> Problem.notFound("device " + macText));
        return db.dsl().select(DEVICE.VARS).from(DEVICE).where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.MAC.eq(mac))
                .fetchOptional().map(r -> TemplateVars.fromJson(r.value1()))
                .orElseThrow(() -> Problem.notFound("device " + mac));
    }

    public Map<String, String> replaceForDevice(String actor, String accountId, String macText, Map<String, String> vars) {
        String mac = Mac.normalise(macText).orElseThrow(() -> Problem.notFound("device " + macText));
        return db.inTransaction(tx -> {
            int updated = tx.update(DEVICE).set(DEVICE.VARS, TemplateVars.toJson(vars))
                    .where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.MAC.eq(mac)).execute();
            if (updated == 0) {
                throw Problem.notFound("device " + mac);
            }
            changes.device(tx, actor, "device.vars", accountId, mac, "names=" + vars.keySet());
            return vars;
        });
    }
}
