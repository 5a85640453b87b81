package dialtone.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.core.FieldError;
import dialtone.core.Json;
import dialtone.core.Problem;
import dialtone.directory.AccountService;
import dialtone.directory.Rules;
import dialtone.security.Cidr;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** API tokens (issue, list, revoke) and the audit trail: what admins, not technicians, manage. */
final class TokenRoutes implements RouteModule {

    private static final int MAX_PBX_ACCOUNTS = 500;
    private static final int MAX_SOURCES = 50;

    private final TokenService tokens;
    private final AccountService accounts;
    private final AuditService audit;

    TokenRoutes(TokenService tokens, AccountService accounts, AuditService audit) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.audit = audit;
    }

    @Override
    public void register(Router<Call> router) {
        router.add("POST", "/tokens", (r, p) -> create(r))
                .add("GET", "/tokens", SCOPED_PAGING, (r, p) -> list(r))
                .add("DELETE", "/tokens/{tokenId}", this::revoke)
                .add("GET", "/audit", SCOPED_PAGING, (r, p) -> listAudit(r));
    }

    private Response create(Call r) {
        Access.requireAdmin(r);
        Body body = Body.parse(r.body(), Set.of("role", "accountId", "name", "expiresAt", "accountIds",
                "allowedSources"));
        String roleText = body.text("role");
        String accountId = body.text("accountId");
        String name = body.text("name");
        String expiresText = body.text("expiresAt");
        List<String> pbxAccounts = body.textList("accountIds");
        List<String> sources = body.textList("allowedSources");
        body.done();
        Caller caller = r.caller();
        List<FieldError> errors = new ArrayList<>();
        Rules.text(errors, "name", name, 200);
        Caller.Role role = null;
        if (Rules.required(errors, "role", roleText)) {
            role = Arrays.stream(Caller.Role.values()).filter(x -> x.id().equals(roleText)).findFirst().orElse(null);
            if (role == null) {
                errors.add(new FieldError("role", "must be one of operator, admin, technician, pbx"));
            } else if ((role == Caller.Role.OPERATOR || role == Caller.Role.PBX) && !caller.isOperator()) {
                errors.add(new FieldError("role", "only an operator token may create " + role.id() + " tokens"));
            }
        }
        if (role == Caller.Role.PBX) {
            if (accountId != null) {
                errors.add(new FieldError("accountId", "a pbx token names its accounts in accountIds"));
            }
            pbxScope(errors, pbxAccounts, sources);
        } else {
            if (pbxAccounts != null) {
                errors.add(new FieldError("accountIds", "is only for pbx tokens"));
            }
            if (sources != null) {
                errors.add(new FieldError("allowedSources", "is only for pbx tokens"));
            }
        }
        if (role == Caller.Role.OPERATOR && accountId != null) {
            errors.add(new FieldError("accountId", "an operator token belongs to no account"));
        }
        if (role != Caller.Role.OPERATOR && role != Caller.Role.PBX && accountId == null && caller.isOperator()) {
            errors.add(new FieldError("accountId", "is required for admin and technician tokens"));
        }
        OffsetDateTime expiresAt = expiry(errors, expiresText);
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        String scope = role == Caller.Role.OPERATOR || role == Caller.Role.PBX ? null
                : accountId == null ? caller.accountId() : accountId;
        if (scope != null) {
            if (!caller.canSee(scope)) {
                throw Problem.notFound("account " + scope);
            }
            if (accounts.find(scope).isEmpty()) {
                throw caller.isOperator() ? Problem.badField("accountId", "no such account")
                        : Problem.notFound("account " + scope);
            }
        }
        String token = tokens.issue(caller.actor(), caller.tokenId(), role, scope, name, expiresAt,
                pbxAccounts == null ? List.of() : List.copyOf(new java.util.TreeSet<>(pbxAccounts)),
                sources == null ? List.of() : sources.stream().map(String::trim).toList());
        ObjectNode node = Json.MAPPER.valueToTree(tokens.findByToken(token));
        node.put("token", token);
        return Responses.json(201, node);
    }

    /** A pbx token's accounts (each must exist; none: every account) and source blocks (none: any address). */
    private void pbxScope(List<FieldError> errors, List<String> pbxAccounts, List<String> sources) {
        if (pbxAccounts != null) {
            if (pbxAccounts.size() > MAX_PBX_ACCOUNTS) {
                errors.add(new FieldError("accountIds", "must name at most " + MAX_PBX_ACCOUNTS + " accounts"));
            } else {
                pbxAccounts.stream().filter(id -> accounts.find(id).isEmpty()).forEach(id ->
                        errors.add(new FieldError("accountIds", "no such account: " + id)));
            }
        }
        if (sources != null) {
            if (sources.size() > MAX_SOURCES) {
                errors.add(new FieldError("allowedSources", "must hold at most " + MAX_SOURCES + " blocks"));
                return;
            }
            for (String source : sources) {
                try {
                    Cidr.parse(source);
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("allowedSources", e.getMessage()));
                }
            }
        }
    }

    /** An RFC 3339 time with an offset, in the future and at most ten years ahead; null when absent. */
    private static OffsetDateTime expiry(List<FieldError> errors, String text) {
        if (text == null) {
            return null;
        }
        try {
            OffsetDateTime at = OffsetDateTime.parse(text);
            OffsetDateTime now = OffsetDateTime.now();
            if (!at.isAfter(now)) {
                errors.add(new FieldError("expiresAt", "must be in the future"));
            } else if (at.isAfter(now.plusYears(10))) {
                errors.add(new FieldError("expiresAt", "must be at most ten years ahead"));
            }
            return at;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("expiresAt", "must be a time with an offset, e.g. 2027-01-31T18:00:00Z"));
            return null;
        }
    }

    private Response list(Call r) {
        Access.requireAdmin(r);
        return Responses.json(200, Views.page(tokens.list(Access.listScope(r), r.queryParam("after"), r.limit())));
    }

    private Response revoke(Call r, Map<String, String> p) {
        Access.requireAdmin(r);
        Caller caller = r.caller();
        if (!tokens.revoke(caller.actor(), caller.isOperator() ? null : caller.accountId(), p.get("tokenId"))) {
            throw Problem.notFound("token " + p.get("tokenId"));
        }
        return Response.empty(204);
    }

    private Response listAudit(Call r) {
        Access.requireAdmin(r);
        String after = r.queryParam("after");
        Long before = null;
        if (after != null) {
            try {
                before = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw Problem.badField("after", "must be a cursor returned as 'next'");
            }
        }
        return Responses.json(200, Views.page(audit.list(Access.listScope(r), before, r.limit())));
    }
}
