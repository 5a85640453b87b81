package dialtone.pbx;

import static dialtone.store.generated.Tables.API_TOKEN;
import static dialtone.store.generated.Tables.API_TOKEN_ACCOUNT;

import dialtone.security.Cidr;
import dialtone.security.Secrets;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.ApiTokenRecord;
import java.net.InetAddress;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Checks a SIP server's bearer token against the tokens the operator issued with role {@code pbx}: read on every
 * request, so a revoked or expired token stops working at once. Other roles' tokens are not accepted here.
 */
final class PbxTokens {

    static final String ROLE = "pbx";
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private static final int MAX_TOKEN_LENGTH = 100;
    private final Database db;

    PbxTokens(Database db) {
        this.db = db;
    }

    /** Why a request was refused; each reason answers the same 401. */
    enum Refusal { NO_TOKEN, UNKNOWN_OR_REVOKED, SOURCE_NOT_ALLOWED }

    /** Either the token or why there is none. */
    record Outcome(PbxToken token, Refusal refusal) {}

    Outcome authenticate(String authorization, InetAddress source) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Outcome(null, Refusal.NO_TOKEN);
        }
        String secret = authorization.substring(7).trim();
        if (secret.isEmpty() || secret.length() > MAX_TOKEN_LENGTH) {
            return new Outcome(null, Refusal.UNKNOWN_OR_REVOKED);
        }
        OffsetDateTime now = OffsetDateTime.now();
        ApiTokenRecord row = db.dsl().selectFrom(API_TOKEN).where(API_TOKEN.TOKEN_HASH.eq(Secrets.sha256Hex(secret)))
                .and(API_TOKEN.REVOKED.isFalse()).and(API_TOKEN.ROLE.eq(ROLE))
                .and(API_TOKEN.EXPIRES_AT.isNull().or(API_TOKEN.EXPIRES_AT.gt(now))).fetchOne();
        if (row == null) {
            return new Outcome(null, Refusal.UNKNOWN_OR_REVOKED);
        }
        List<Cidr> sources = Arrays.stream(row.getAllowedSources().split(",")).filter(s -> !s.isBlank())
                .map(Cidr::parse).toList();
        Set<String> accounts = Set.copyOf(db.dsl().select(API_TOKEN_ACCOUNT.ACCOUNT_ID).from(API_TOKEN_ACCOUNT)
                .where(API_TOKEN_ACCOUNT.TOKEN_ID.eq(row.getId())).fetch(API_TOKEN_ACCOUNT.ACCOUNT_ID));
        PbxToken token = new PbxToken(row.getId(), row.getName(), accounts, sources);
        if (!token.acceptsFrom(source)) {
            return new Outcome(null, Refusal.SOURCE_NOT_ALLOWED);
        }
        if (row.getLastUsedAt() == null || row.getLastUsedAt().plus(LAST_USED_GRANULARITY).isBefore(now)) {
            db.dsl().update(API_TOKEN).set(API_TOKEN.LAST_USED_AT, now).where(API_TOKEN.ID.eq(row.getId())).execute();
        }
        return new Outcome(token, null);
    }
}
