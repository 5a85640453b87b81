package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.Administrator;
import dialtone.directory.CreatedDevice;
import dialtone.directory.Directory;
import dialtone.directory.DiscoveredDevice;
import dialtone.directory.Page;
import dialtone.server.Response;
import dialtone.server.Router;
import dialtone.templates.FamilyRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Phones that asked for their files under a MAC no account owns, as an operator sees them from an account's
 * devices, each with Adopt: the device joins this account with the model chosen (the one its User-Agent named
 * is proposed) and its provisioning credentials are shown once.
 */
final class DiscoveredPages implements PortalRoutes {

    private final Directory directory;
    private final Pages pages;
    private final Supplier<FamilyRegistry> families;

    DiscoveredPages(Directory directory, Pages pages, Supplier<FamilyRegistry> families) {
        this.directory = directory;
        this.pages = pages;
        this.families = families;
    }

    @Override
    public void register(Router<Visit> router) {
        String discovered = "/admin/accounts/{accountId}/discovered";
        router.add("GET", discovered, (v, p) -> list(v, p.get("accountId"), Map.of()))
                .add("POST", discovered + "/{mac}", (v, p) -> adopt(v, p.get("accountId"), p.get("mac")));
    }

    /** Discovered devices belong to no account: only an operator sees them. */
    private Account account(Visit v, String accountId) {
        Administrator admin = v.requireAdmin();
        if (!admin.isOperator()) {
            throw Problem.forbidden("only an operator sees discovered devices");
        }
        return Scope.account(directory, admin, accountId);
    }

    private Response list(Visit v, String accountId, Map<String, Object> extra) {
        Account account = account(v, accountId);
        Page<DiscoveredDevice> page = directory.discovered().list(v.queryParam("after"), Scope.limit(v));
        Map<String, Object> model = Pages.model("Discovered devices");
        model.put("account", account);
        model.put("found", page.items());
        model.put("next", page.next());
        model.put("models", WizardPages.models(families.get()));
        model.put("failedMac", "");
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "discovered", v, model);
    }

    private Response adopt(Visit v, String accountId, String mac) {
        Account account = account(v, accountId);
        Form f = v.form();
        CreatedDevice created;
        try {
            created = directory.discovered().adopt(directory.devices(), v.actor(), accountId, mac, f.text("model"),
                    f.text("label"));
        } catch (Problem problem) {
            Map<String, Object> extra = new HashMap<>(Pages.invalid(f, problem));
            extra.put("failedMac", mac);
            return list(v, accountId, extra);
        }
        return DevicePages.credentials(pages, v, account, created.device(), created.provisioning(), "Device adopted");
    }
}
