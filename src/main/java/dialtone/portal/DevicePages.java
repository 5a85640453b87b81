package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.Administrator;
import dialtone.directory.CreatedDevice;
import dialtone.directory.Device;
import dialtone.directory.DeviceReplacement;
import dialtone.directory.Directory;
import dialtone.directory.Page;
import dialtone.directory.User;
import dialtone.server.Response;
import dialtone.server.Router;
import dialtone.templates.FamilyRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Devices of an account with their live status (last provisioned: when, from where, model and firmware as the
 * phone claims them; in sync or not; never provisioned), filtered; a device's page with Resync, Unbind and
 * Replace handset, the technician's whole job, laid out for a phone-sized screen.
 */
final class DevicePages implements PortalRoutes {

    static final String NEVER = "never";
    static final String OUT_OF_SYNC = "out-of-sync";
    private static final int MAX_SCANNED = 10_000;
    private final Directory directory;
    private final Pages pages;
    private final PhoneStatus phones;
    private final Supplier<FamilyRegistry> families;

    DevicePages(Directory directory, Pages pages, PhoneStatus phones, Supplier<FamilyRegistry> families) {
        this.directory = directory;
        this.pages = pages;
        this.phones = phones;
        this.families = families;
    }

    @Override
    public void register(Router<Visit> router) {
        String devices = "/admin/accounts/{accountId}/devices";
        String device = devices + "/{mac}";
        router.add("GET", devices, (v, p) -> list(v, p.get("accountId"), Map.of()))
                .add("POST", devices, (v, p) -> create(v, p.get("accountId")))
                .add("GET", device, (v, p) -> page(v, p.get("accountId"), p.get("mac"), Map.of()))
                .add("POST", device + "/resync", (v, p) -> resync(v, p.get("accountId"), p.get("mac")))
                .add("POST", device + "/unbind", (v, p) -> unbind(v, p.get("accountId"), p.get("mac")))
                .add("POST", device + "/replace", (v, p) -> replace(v, p.get("accountId"), p.get("mac")));
    }

    /** A device and what the list shows about it. */
    public record Row(Device device, User user, Boolean inSync) {}

    private Response list(Visit v, String accountId, Map<String, Object> extra) {
        Administrator admin = v.requireAdmin();
        Account account = Scope.account(directory, admin, accountId);
        String filter = v.queryParam("filter");
        int limit = Scope.limit(v);
        List<Row> rows = new ArrayList<>();
        String after = v.queryParam("after");
        String next = null;
        int scanned = 0;
        // A filter walks the account's devices page by page until it has a page of matches.
        do {
            Page<Device> page = directory.devices().list(accountId, after, limit);
            for (Device d : page.items()) {
                scanned++;
                Row row = row(accountId, d);
                boolean matches = NEVER.equals(filter) ? d.lastSeen() == null || d.lastSeen().at() == null
                        : !OUT_OF_SYNC.equals(filter) || Boolean.FALSE.equals(row.inSync());
                if (matches && rows.size() < limit) {
                    rows.add(row);
                    next = d.mac();
                }
            }
            after = page.next();
            if (after == null) {
                next = null;
            }
        } while (after != null && rows.size() < limit && scanned < MAX_SCANNED);
        Map<String, Object> model = Pages.model("Devices");
        model.put("account", account);
        model.put("rows", rows);
        model.put("filter", filter == null ? "" : filter);
        model.put("next", rows.size() == limit ? next : null);
        model.put("models", WizardPages.models(families.get()));
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "devices", v, model);
    }

    private Row row(String accountId, Device d) {
        User user = d.userId() == null ? null : directory.users().find(accountId, d.userId()).orElse(null);
        return new Row(d, user, Device.ACTIVE.equals(d.status()) ? phones.inSync(d) : null);
    }

    private Response create(Visit v, String accountId) {
        Scope.account(directory, v.requireManager(), accountId);
        Form f = v.form();
        CreatedDevice created;
        try {
            created = directory.devices().create(v.actor(), accountId, f.text("mac"),
                    f.text("model") == null ? "" : f.text("model"), f.text("label"));
        } catch (Problem problem) {
            return list(v, accountId, Pages.invalid(f, problem));
        }
        return credentials(v, accountId, created.device(), created.provisioning(), "Device added");
    }

    private Response credentials(Visit v, String accountId, Device device, dialtone.directory.Credentials provisioning,
                                 String title) {
        return credentials(pages, v, Scope.account(directory, v.requireAdmin(), accountId), device, provisioning, title);
    }

    /** The page that shows a new device's provisioning credentials, this once, then leads to the device's page. */
    static Response credentials(Pages pages, Visit v, Account account, Device device,
                                dialtone.directory.Credentials provisioning, String title) {
        String accountId = account.id();
        Map<String, Object> model = Pages.model(title);
        model.put("account", account);
        model.put("device", device);
        model.put("provisioning", provisioning);
        model.put("next", path(accountId, device.mac()));
        return pages.render("device-created", v, model);
    }

    static String path(String accountId, String mac) {
        return "/admin/accounts/" + accountId + "/devices/" + mac;
    }

    private Device device(String accountId, String mac) {
        return directory.devices().find(accountId, mac).orElseThrow(() -> Problem.notFound("device " + mac));
    }

    private Response page(Visit v, String accountId, String mac, Map<String, Object> extra) {
        Administrator admin = v.requireAdmin();
        Account account = Scope.account(directory, admin, accountId);
        Device device = device(accountId, mac);
        Map<String, Object> model = Pages.model("Device " + device.mac());
        model.put("account", account);
        model.put("row", row(accountId, device));
        model.put("models", WizardPages.models(families.get()));
        model.put("config", Device.ACTIVE.equals(device.status()) ? lines(phones.renderedConfig(device)) : Map.of());
        model.put("notice", "unbound".equals(v.queryParam("done")) ? "The device is unbound." : null);
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "device", v, model);
    }

    /** Each file as its lines: the page writes the line breaks (escaping turns a break inside a value into a space). */
    private static Map<String, List<String>> lines(Map<String, String> files) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        files.forEach((name, text) -> out.put(name, text.lines().toList()));
        return out;
    }

    private Response resync(Visit v, String accountId, String mac) {
        Scope.account(directory, v.requireAdmin(), accountId);
        String outcome = phones.resync(v.actor(), accountId, device(accountId, mac).mac());
        Map<String, Object> extra = new HashMap<>();
        extra.put("notice", outcome);
        return page(v, accountId, mac, extra);
    }

    private Response unbind(Visit v, String accountId, String mac) {
        Scope.account(directory, v.requireAdmin(), accountId);
        Device device = directory.devices().unbind(v.actor(), accountId, mac);
        throw new Redirect(path(accountId, device.mac()) + "?done=unbound");
    }

    private Response replace(Visit v, String accountId, String mac) {
        Scope.account(directory, v.requireAdmin(), accountId);
        Form f = v.form();
        DeviceReplacement.Outcome outcome;
        try {
            outcome = directory.replacement().replace(v.actor(), accountId, mac, f.text("newMac"), f.text("model"),
                    null, false);
        } catch (Problem problem) {
            Map<String, Object> extra = new HashMap<>(Pages.invalid(f, problem));
            if (extra.get("errors") instanceof Map<?, ?> errors && errors.containsKey("mac")) {
                Map<Object, Object> renamed = new HashMap<>(errors);
                renamed.put("newMac", renamed.remove("mac"));
                extra.put("errors", renamed);
            }
            return page(v, accountId, mac, extra);
        }
        if (outcome.provisioning() == null) {
            throw new Redirect(path(accountId, outcome.device().mac()));
        }
        return credentials(v, accountId, outcome.device(), outcome.provisioning(), "Handset replaced");
    }
}
