package dialtone.admin;

import static dialtone.store.generated.Tables.API_TOKEN;

import dialtone.directory.Ids;
import dialtone.security.PrivateFiles;
import dialtone.security.Secrets;
import dialtone.store.AuditLog;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.ApiTokenRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Admin API tokens: stored only as SHA-256 hashes; the first operator token is written to a 0600 file. */
public final class TokenService {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    static final String TOKEN_PREFIX = "dtk_";
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private final Database db;

    public TokenService(Database db) {
        this.db = db;
    }

    /** On a database without tokens, creates the operator token and writes it to {@code tokenFile}. */
    public void ensureOperatorToken(Path tokenFile) {
        if (db.dsl().fetchCount(API_TOKEN) > 0) {
            return;
        }
        String token = issue("system", Caller.Role.OPERATOR, null, "operator");
        try {
            PrivateFiles.write(tokenFile, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write operator token file " + tokenFile, e);
        }
        LOG.info("created the operator token; it is in {} (readable by this user only)", tokenFile.toAbsolutePath());
    }

    /** Creates a token and returns it; only its hash and visible prefix are stored. */
    public String issue(String actor, Caller.Role role, String accountId, String name) {
        String token = TOKEN_PREFIX + Secrets.random(40);
        String id = Ids.newId();
        db.inTransaction(tx -> {
            ApiTokenRecord row = tx.newRecord(API_TOKEN);
            row.setId(id);
            row.setTokenHash(Secrets.sha256Hex(token));
            row.setPrefix(token.substring(0, 12));
            row.setRole(role.id());
            row.setAccountId(accountId);
            row.setName(name);
            row.setRevoked(false);
            row.setCreatedAt(OffsetDateTime.now());
            row.store();
            AuditLog.record(tx, actor, accountId, "token.create", "token", id, "role=" + role.id() + " name=" + name);
            return null;
        });
        return token;
    }

    /** The caller behind an {@code Authorization: Bearer} header, if the token is valid and not revoked. */
    public Optional<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        if (!token.startsWith(TOKEN_PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        ApiTokenRecord row = db.dsl().selectFrom(API_TOKEN)
                .where(API_TOKEN.TOKEN_HASH.eq(Secrets.sha256Hex(token))).and(API_TOKEN.REVOKED.isFalse())
                .fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        OffsetDateTime now = OffsetDateTime.now();
        if (row.getLastUsedAt() == null || row.getLastUsedAt().plus(LAST_USED_GRANULARITY).isBefore(now)) {
            db.dsl().update(API_TOKEN).set(API_TOKEN.LAST_USED_AT, now).where(API_TOKEN.ID.eq(row.getId())).execute();
        }
        return Optional.of(new Caller(row.getId(), row.getName(), Caller.Role.valueOf(row.getRole().toUpperCase()),
                row.getAccountId()));
    }
}
