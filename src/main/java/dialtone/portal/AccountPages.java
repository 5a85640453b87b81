package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.Address;
import dialtone.directory.Administrator;
import dialtone.directory.Directory;
import dialtone.directory.Location;
import dialtone.server.Response;
import dialtone.server.Router;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** The administrators' start: accounts (the operator's list, creating one) and an account's locations. */
final class AccountPages implements PortalRoutes {

    /** Region/City zones, sorted: what a person picks a time zone from. */
    static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .filter(z -> z.matches("(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/.+"))
            .sorted().toList();
    private final Directory directory;
    private final Pages pages;

    AccountPages(Directory directory, Pages pages) {
        this.directory = directory;
        this.pages = pages;
    }

    @Override
    public void register(Router<Visit> router) {
        router.add("GET", "/admin", (v, p) -> home(v, Map.of()))
                .add("POST", "/admin/accounts", (v, p) -> createAccount(v))
                .add("GET", "/admin/accounts/{accountId}", (v, p) -> account(v, p.get("accountId"), Map.of()))
                .add("POST", "/admin/accounts/{accountId}/locations", (v, p) -> createLocation(v, p.get("accountId")));
    }

    private Response home(Visit v, Map<String, Object> extra) {
        Administrator admin = v.requireAdmin();
        if (!admin.isOperator()) {
            throw new Redirect(admin.isTechnician() ? "/admin/accounts/" + admin.accountId() + "/devices"
                    : "/admin/accounts/" + admin.accountId());
        }
        Map<String, Object> model = Pages.model("Accounts");
        model.put("accounts", directory.accounts().list(null, v.queryParam("after"), Scope.limit(v)));
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "accounts", v, model);
    }

    private Response createAccount(Visit v) {
        Administrator admin = v.requireAdmin();
        if (!admin.isOperator()) {
            throw Problem.forbidden("only an operator may create accounts");
        }
        try {
            Account account = directory.accounts().create(v.actor(), v.form().text("name"));
            throw new Redirect("/admin/accounts/" + account.id());
        } catch (Problem problem) {
            return home(v, Pages.invalid(v.form(), problem));
        }
    }

    private Response account(Visit v, String accountId, Map<String, Object> extra) {
        Administrator admin = v.requireAdmin();
        Account account = Scope.account(directory, admin, accountId);
        if (admin.isTechnician()) {
            throw new Redirect("/admin/accounts/" + accountId + "/devices");
        }
        Map<String, Object> model = Pages.model(account.name());
        model.put("account", account);
        model.put("locations", directory.locations().list(accountId, null, 200).items());
        model.put("zones", ZONES);
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "account", v, model);
    }

    private Response createLocation(Visit v, String accountId) {
        Administrator admin = v.requireManager();
        Scope.account(directory, admin, accountId);
        Form f = v.form();
        try {
            Location location = directory.locations().create(v.actor(), accountId, f.text("name"),
                    new Address(f.text("address.street"), f.text("address.city"), f.text("address.region"),
                            f.text("address.postalCode"), f.text("address.country")),
                    f.text("timeZone"));
            throw new Redirect("/admin/accounts/" + accountId + "#location-" + location.id());
        } catch (Problem problem) {
            return account(v, accountId, Pages.invalid(f, problem));
        }
    }
}
