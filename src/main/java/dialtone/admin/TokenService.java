package dialtone.admin;

import java.util.Locale;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        String token = issue("system", null, Caller.Role.OPERATOR, null, "operator", null);
        try {
            PrivateFiles.write(tokenFile, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write operator token file " + tokenFile, e);
        }
        LOG.info("created the operator token; it is in {} (readable by this user only)", tokenFile.toAbsolutePath());
    }

    /**
     * Creates a token and returns it; only its hash and visible prefix are stored. {@code minterId} is the token
     * that asked for it (revoking that one revokes this one); {@code expiresAt} null: it never expires.
     */
    public String issue(String actor, String minterId, Caller.Role role, String accountId, String name,
                        OffsetDateTime expiresAt) {
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
            row.setCreatedBy(minterId);
            row.setExpiresAt(expiresAt);
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
        OffsetDateTime now = OffsetDateTime.now();
        ApiTokenRecord row = db.dsl().selectFrom(API_TOKEN)
                .where(API_TOKEN.TOKEN_HASH.eq(Secrets.sha256Hex(token))).and(API_TOKEN.REVOKED.isFalse())
                .and(API_TOKEN.EXPIRES_AT.isNull().or(API_TOKEN.EXPIRES_AT.gt(now)))
                .fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        if (row.getLastUsedAt() == null || row.getLastUsedAt().plus(LAST_USED_GRANULARITY).isBefore(now)) {
            db.dsl().update(API_TOKEN).set(API_TOKEN.LAST_USED_AT, now).where(API_TOKEN.ID.eq(row.getId())).execute();
        }
        return Optional.of(new Caller(row.getId(), row.getName(), Caller.Role.valueOf(row.getRole().toUpperCase(Locale.ROOT)),
                row.getAccountId()));
    }

    /** A token as listed: never the token or its hash, only the visible prefix. */
    public record TokenView(String id, String name, String role, String accountId, String prefix,
                            OffsetDateTime createdAt, String createdBy, OffsetDateTime expiresAt,
                            OffsetDateTime lastUsedAt, boolean revoked) {}

    public TokenView findByToken(String token) {
        ApiTokenRecord row = db.dsl().selectFrom(API_TOKEN).where(API_TOKEN.TOKEN_HASH.eq(Secrets.sha256Hex(token)))
                .fetchOne();
        return row == null ? null : view(row);
    }

    /** Tokens of one account, or of every account and the operator's when {@code accountId} is null. */
    public dialtone.directory.Page<TokenView> list(String accountId, String after, int limit) {
        var where = API_TOKEN.ID.gt(after == null ? "" : after);
        if (accountId != null) {
            where = where.and(API_TOKEN.ACCOUNT_ID.eq(accountId));
        }
        var rows = db.dsl().selectFrom(API_TOKEN).where(where).orderBy(API_TOKEN.ID).limit(limit + 1)
                .fetch(TokenService::view);
        return dialtone.directory.Page.of(rows, limit, TokenView::id);
    }

    /**
     * Revokes a token visible in {@code accountId} (null: any), and every token minted by it, by those, and so on;
     * false when there is no such token.
     */
    public boolean revoke(String actor, String accountId, String id) {
        return db.inTransaction(tx -> {
            ApiTokenRecord row = tx.selectFrom(API_TOKEN).where(API_TOKEN.ID.eq(id)).forUpdate().fetchOne();
            if (row == null || (accountId != null && !accountId.equals(row.getAccountId()))) {
                return false;
            }
            Deque<ApiTokenRecord> pending = new ArrayDeque<>(List.of(row));
            Set<String> seen = new HashSet<>();
            while (!pending.isEmpty()) {
                ApiTokenRecord next = pending.pop();
                if (!seen.add(next.getId())) {
                    continue;
                }
                if (!next.getRevoked()) {
                    next.setRevoked(true);
                    next.store();
                    AuditLog.record(tx, actor, next.getAccountId(), "token.revoke", "token", next.getId(),
                            "name=" + next.getName() + (next == row ? "" : " minted-by-revoked=" + next.getCreatedBy()));
                }
                pending.addAll(tx.selectFrom(API_TOKEN).where(API_TOKEN.CREATED_BY.eq(next.getId())).forUpdate()
                        .fetch());
            }
            return true;
        });
    }

    private static TokenView view(ApiTokenRecord r) {
        return new TokenView(r.getId(), r.getName(), r.getRole(), r.getAccountId(), r.getPrefix(), r.getCreatedAt(),
                r.getCreatedBy(), r.getExpiresAt(), r.getLastUsedAt(), r.getRevoked());
    }
}
