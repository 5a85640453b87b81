package dialtone.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.core.Json;
import dialtone.core.Problem;
import dialtone.directory.AdministratorService;
import dialtone.directory.CreatedAdministrator;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import java.util.Map;
import java.util.Set;

/**
 * The portal's administrators (people who log in with a password): create one with a one-time password (shown
 * once, replaced at the first login), list, delete. How the first operator comes to exist: the operator token
 * creates them.
 */
final class AdministratorRoutes implements RouteModule {

    private final AdministratorService administrators;

    AdministratorRoutes(AdministratorService administrators) {
        this.administrators = administrators;
    }

    @Override
    public void register(Router<Call> router) {
        router.add("POST", "/administrators", (r, p) -> create(r))
                .add("GET", "/administrators", SCOPED_PAGING, (r, p) -> {
                    Access.requireAdmin(r);
                    return Responses.json(200, Views.page(administrators.list(Access.listScope(r), r.queryParam("after"),
                            r.limit())));
                })
                .add("DELETE", "/administrators/{administratorId}", this::delete);
    }

    private Response create(Call r) {
        Access.requireAdmin(r);
        Body body = Body.parse(r.body(), Set.of("username", "role", "accountId"));
        String username = body.text("username");
        String role = body.text("role");
        String accountId = body.text("accountId");
        body.done();
        Caller caller = r.caller();
        if (!caller.isOperator()) {
            if ("operator".equals(role)) {
                throw Problem.badField("role", "only an operator token may create operators");
            }
            if (accountId != null && !accountId.equals(caller.accountId())) {
                throw Problem.notFound("account " + accountId);
            }
            accountId = caller.accountId();
        }
        CreatedAdministrator created = administrators.create(r.actor(), username, role, accountId);
        ObjectNode node = Json.MAPPER.valueToTree(created.administrator());
        node.put("password", created.oneTimePassword());
        return Responses.json(201, node);
    }

    private Response delete(Call r, Map<String, String> p) {
        Access.requireAdmin(r);
        Caller caller = r.caller();
        if (!administrators.delete(r.actor(), caller.isOperator() ? null : caller.accountId(), p.get("administratorId"))) {
            throw Problem.notFound("administrator " + p.get("administratorId"));
        }
        return Response.empty(204);
    }
}
