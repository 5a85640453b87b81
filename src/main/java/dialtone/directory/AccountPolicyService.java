package dialtone.directory;

import static dialtone.store.generated.Tables.ACCOUNT;
import static dialtone.store.generated.Tables.ACCOUNT_POLICY;

import dialtone.security.Cidr;
import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.store.Database;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads and replaces an account's {@link AccountPolicy}; an account without one has the default. */
public final class AccountPolicyService {

    static final int MAX_SOURCES = 100;
    private static final int MAX_SOURCES_STORED = 4000;
    private final Database db;
    private final Changes changes;

    public AccountPolicyService(Database db, Changes changes) {
        this.db = db;
        this.changes = changes;
    }

    public AccountPolicy get(String accountId) {
        var row = db.dsl().selectFrom(ACCOUNT_POLICY).where(ACCOUNT_POLICY.ACCOUNT_ID.eq(accountId)).fetchOne();
        if (row == null) {
            return AccountPolicy.DEFAULT;
        }
        return new AccountPolicy(new LinkedHashSet<>(split(row.getProofs())), split(row.getAllowedSources()),
                row.getPlainHttp());
    }

    /** Validates and stores the whole policy; absent parts take the default. */
    public AccountPolicy replace(String actor, String accountId, List<String> proofs, List<String> allowedSources,
                                 Boolean plainHttp) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> chosen = new TreeSet<>(proofs == null ? AccountPolicy.ALL_PROOFS : proofs);
        if (chosen.isEmpty()) {
            errors.add(new FieldError("proofs", "must name at least one of certificate, digest, basic"));
        }
        for (String proof : chosen) {
            if (proof == null || !AccountPolicy.ALL_PROOFS.contains(proof)) {
                errors.add(new FieldError("proofs", "'" + proof + "' is not one of certificate, digest, basic"));
            }
        }
        List<String> sources = allowedSources == null ? List.of() : allowedSources;
        if (sources.size() > MAX_SOURCES) {
            errors.add(new FieldError("allowedSources", "must hold at most " + MAX_SOURCES + " blocks"));
        }
        List<String> normalised = new ArrayList<>();
        for (String source : sources) {
            try {
                Cidr.parse(source == null ? "" : source);
                normalised.add(source.trim());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("allowedSources", e.getMessage()));
            }
        }
        if (String.join(",", normalised).length() > MAX_SOURCES_STORED) {
            errors.add(new FieldError("allowedSources", "together must be at most " + MAX_SOURCES_STORED + " characters"));
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        AccountPolicy policy = new AccountPolicy(chosen, normalised, Boolean.TRUE.equals(plainHttp));
        db.inTransaction(tx -> {
            // Serialises concurrent replacements of one account's policy (delete then insert).
            tx.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.ID.eq(accountId)).forUpdate().fetch();
            tx.deleteFrom(ACCOUNT_POLICY).where(ACCOUNT_POLICY.ACCOUNT_ID.eq(accountId)).execute();
            tx.insertInto(ACCOUNT_POLICY)
                    .set(ACCOUNT_POLICY.ACCOUNT_ID, accountId)
                    .set(ACCOUNT_POLICY.PROOFS, String.join(",", chosen))
                    .set(ACCOUNT_POLICY.ALLOWED_SOURCES, String.join(",", normalised))
                    .set(ACCOUNT_POLICY.PLAIN_HTTP, policy.plainHttp())
                    .set(ACCOUNT_POLICY.UPDATED_AT, OffsetDateTime.now())
                    .execute();
            changes.account(tx, actor, "account.policy", accountId, "proofs=" + chosen + " allowedSources=" + normalised + " plainHttp=" + policy.plainHttp());
            return null;
        });
        return policy;
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank() ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
