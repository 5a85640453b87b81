package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.Administrator;
import dialtone.directory.CreatedAdministrator;
import dialtone.directory.Directory;
import dialtone.directory.Page;
import dialtone.server.Response;
import dialtone.server.Router;
import java.util.List;
import java.util.Map;

/**
 * The people who log in to manage: an operator's list of every administrator (creating operators there), and an
 * account's admins and technicians, managed by an operator or by that account's admins. A new administrator's
 * one-time password is shown once; they choose their own at the first login. Nobody deletes themselves.
 */
final class AdministratorPages implements PortalRoutes {

    private static final List<String> ACCOUNT_ROLES = List.of(Administrator.ADMIN, Administrator.TECHNICIAN);
    private final Directory directory;
    private final Pages pages;

    AdministratorPages(Directory directory, Pages pages) {
        this.directory = directory;
        this.pages = pages;
    }

    @Override
    public void register(Router<Visit> router) {
        String all = "/admin/administrators";
        String ofAccount = "/admin/accounts/{accountId}/administrators";
        router.add("GET", all, (v, p) -> list(v, null, Map.of()))
                .add("POST", all, (v, p) -> create(v, null))
                .add("POST", all + "/{administratorId}/delete", (v, p) -> delete(v, null, p.get("administratorId")))
                .add("GET", ofAccount, (v, p) -> list(v, p.get("accountId"), Map.of()))
                .add("POST", ofAccount, (v, p) -> create(v, p.get("accountId")))
                .add("POST", ofAccount + "/{administratorId}/delete",
                        (v, p) -> delete(v, p.get("accountId"), p.get("administratorId")));
    }

    /** The account the page is about (null: every account, the operator's page), after checking who may see it. */
    private Account scope(Visit v, String accountId) {
        Administrator me = v.requireManager();
        if (accountId == null) {
            if (!me.isOperator()) {
                throw Problem.forbidden("only an operator manages every administrator");
            }
            return null;
        }
        return Scope.account(directory, me, accountId);
    }

    private static String path(String accountId) {
        return accountId == null ? "/admin/administrators" : "/admin/accounts/" + accountId + "/administrators";
    }

    private Response list(Visit v, String accountId, Map<String, Object> extra) {
        Account account = scope(v, accountId);
        Page<Administrator> page = directory.administrators().list(accountId, v.queryParam("after"), Scope.limit(v));
        Map<String, Object> model = Pages.model(account == null ? "Administrators" : "Administrators of " + account.name());
        model.put("account", account);
        model.put("administrators", page.items());
        model.put("next", page.next());
        model.put("path", path(accountId));
        model.put("roles", account == null ? List.of(Administrator.OPERATOR) : ACCOUNT_ROLES);
        model.put("myId", v.admin().id());
        model.put("notice", "removed".equals(v.queryParam("done")) ? "The administrator is removed." : null);
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "administrators", v, model);
    }

    private Response create(Visit v, String accountId) {
        Account account = scope(v, accountId);
        Form f = v.form();
        String role = f.text("role");
        CreatedAdministrator created;
        try {
            if (role != null && !(account == null ? Administrator.OPERATOR.equals(role) : ACCOUNT_ROLES.contains(role))) {
                throw Problem.badField("role", account == null
                        ? "an administrator of an account is added from that account's page"
                        : "must be admin or technician");
            }
            created = directory.administrators().create(v.actor(), f.text("username"), role, accountId);
        } catch (Problem problem) {
            return list(v, accountId, Pages.invalid(f, problem));
        }
        Map<String, Object> model = Pages.model("Administrator added");
        model.put("account", account);
        model.put("created", created.administrator());
        model.put("password", created.oneTimePassword());
        model.put("next", path(accountId));
        return pages.render("administrator-created", v, model);
    }

    private Response delete(Visit v, String accountId, String administratorId) {
        scope(v, accountId);
        if (administratorId.equals(v.admin().id())) {
            throw Problem.forbidden("you cannot remove yourself; ask another administrator");
        }
        if (!directory.administrators().delete(v.actor(), accountId, administratorId)) {
            throw Problem.notFound("administrator " + administratorId);
        }
        throw new Redirect(path(accountId) + "?done=removed");
    }
}
