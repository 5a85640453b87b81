package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.Credentials;
import dialtone.directory.DeviceService;
import dialtone.directory.Directory;
import dialtone.directory.SetupProgress;
import dialtone.directory.User;
import dialtone.directory.UserInput;
import dialtone.server.Response;
import dialtone.server.Router;
import dialtone.store.Database;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Users of an account: the list (search by name, username, extension, number or e-mail; paged; "setup
 * incomplete" marked) and a user's page to change every field, re-send the welcome e-mail, rotate the SIP
 * password, and change the device or the greeting.
 */
final class UserPages implements PortalRoutes {

    private static final Map<String, String> NOTICES = Map.of(
            "saved", "Changes saved.",
            "welcome", "A new welcome e-mail with a new temporary password is on its way; the previous password no longer works.",
            "greeting", "The greeting is changed.",
            "device", "The device change is saved.");
    private final Database db;
    private final Directory directory;
    private final Pages pages;
    private final Setup setup;

    UserPages(Database db, Directory directory, Pages pages, Setup setup) {
        this.db = db;
        this.directory = directory;
        this.pages = pages;
        this.setup = setup;
    }

    @Override
    public void register(Router<Visit> router) {
        String users = "/admin/accounts/{accountId}/users";
        String user = users + "/{userId}";
        router.add("GET", users, (v, p) -> list(v, p.get("accountId")))
                .add("GET", user, (v, p) -> page(v, p.get("accountId"), p.get("userId"), Map.of()))
                .add("POST", user, (v, p) -> save(v, p.get("accountId"), p.get("userId")))
                .add("POST", user + "/welcome-email", (v, p) -> welcome(v, p.get("accountId"), p.get("userId")))
                .add("POST", user + "/sip-password", (v, p) -> rotate(v, p.get("accountId"), p.get("userId")))
                .add("POST", user + "/greeting", (v, p) -> greeting(v, p.get("accountId"), p.get("userId")))
                .add("POST", user + "/device", (v, p) -> device(v, p.get("accountId"), p.get("userId")))
                .add("POST", user + "/device/unassign", (v, p) -> unassign(v, p.get("accountId"), p.get("userId")));
    }

    private Account account(Visit v, String accountId) {
        return Scope.account(directory, v.requireManager(), accountId);
    }

    private Response list(Visit v, String accountId) {
        Account account = account(v, accountId);
        int limit = Scope.limit(v);
        int pageNumber = 1;
        try {
            pageNumber = Math.max(1, Math.min(100_000, Integer.parseInt(v.queryParam("page"))));
        } catch (NumberFormatException | NullPointerException ignored) {
            // the first page
        }
        String query = v.queryParam("q");
        List<User> found = directory.users().search(accountId, query, (pageNumber - 1) * limit, limit + 1);
        boolean more = found.size() > limit;
        List<User> shown = more ? found.subList(0, limit) : found;
        Map<String, Object> model = Pages.model("Users");
        model.put("account", account);
        model.put("users", shown);
        model.put("incomplete", setup.incomplete(shown.stream().map(User::id).toList()));
        model.put("q", query == null ? "" : query);
        model.put("pageNumber", pageNumber);
        model.put("more", more);
        return pages.render("users", v, model);
    }

    private User user(String accountId, String userId) {
        return directory.users().find(accountId, userId).orElseThrow(() -> Problem.notFound("user " + userId));
    }

    private Response page(Visit v, String accountId, String userId, Map<String, Object> extra) {
        Account account = account(v, accountId);
        User user = user(accountId, userId);
        Map<String, Object> model = Pages.model(user.displayName());
        model.put("account", account);
        model.put("user", user);
        model.put("locations", directory.locations().list(accountId, null, 200).items());
        model.put("zones", AccountPages.ZONES);
        model.put("e911", directory.e911().get(accountId, userId));
        model.put("devices", directory.devices().ofUser(accountId, userId));
        model.put("unassigned", directory.devices().unassigned(accountId, 500));
        model.put("greeting", directory.greetings().get(accountId, userId));
        model.put("welcome", SetupProgress.of(db, accountId, userId).map(SetupProgress::welcomeEmail).orElse(null));
        model.put("incomplete", setup.next(userId).orElse(null));
        model.put("notice", v.queryParam("done") == null ? null : NOTICES.get(v.queryParam("done")));
        Map<String, String> values = new HashMap<>();
        values.put("firstName", user.firstName());
        values.put("lastName", user.lastName());
        values.put("username", user.username());
        values.put("email", user.email());
        values.put("phoneNumber", user.phoneNumber());
        values.put("extension", user.extension());
        values.put("unreachableForward", user.unreachableForward());
        values.put("locationId", user.locationId());
        values.put("emailVoicemails", user.emailVoicemails() ? "on" : null);
        values.put("authorizedUser", user.authorizedUser() ? "on" : null);
        model.put("values", values);
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "user", v, model);
    }

    private Response save(Visit v, String accountId, String userId) {
        account(v, accountId);
        Form f = v.form();
        Set<String> present = new HashSet<>(WizardPages.DETAIL_FIELDS);
        if (f.text("pin") == null) {
            present.remove("pin");
        }
        UserInput input = new UserInput(present, f.text("firstName"), f.text("lastName"), f.text("username"),
                f.text("email"), f.checked("emailVoicemails"), f.text("phoneNumber"), f.text("extension"),
                f.text("unreachableForward"), f.text("locationId"), f.text("timeZone"), f.checked("authorizedUser"),
                f.text("pin"), false);
        try {
            directory.users().update(v.actor(), accountId, userId, input);
        } catch (Problem problem) {
            return page(v, accountId, userId, Pages.invalid(f, problem));
        }
        throw new Redirect(path(accountId, userId) + "?done=saved");
    }

    static String path(String accountId, String userId) {
        return "/admin/accounts/" + accountId + "/users/" + userId;
    }

    private Response welcome(Visit v, String accountId, String userId) {
        account(v, accountId);
        directory.users().sendWelcomeEmail(v.actor(), accountId, userId);
        throw new Redirect(path(accountId, userId) + "?done=welcome");
    }

    private Response rotate(Visit v, String accountId, String userId) {
        Account account = account(v, accountId);
        Credentials sip = directory.users().rotateSipPassword(v.actor(), accountId, userId);
        Map<String, Object> model = Pages.model("New SIP password");
        model.put("account", account);
        model.put("user", user(accountId, userId));
        model.put("sip", sip);
        return pages.render("sip-password", v, model);
    }

    private Response greeting(Visit v, String accountId, String userId) {
        account(v, accountId);
        Form f = v.form();
        try {
            if ("upload".equals(f.text("choice"))) {
                byte[] audio = f.file("greeting");
                if (audio == null) {
                    throw Problem.badField("greeting", "choose a WAV file to upload, or keep the default greeting");
                }
                directory.greetings().set(v.actor(), accountId, userId, audio);
            } else {
                directory.greetings().delete(v.actor(), accountId, userId);
            }
        } catch (Problem problem) {
            return page(v, accountId, userId, WizardPages.greetingErrors(f, problem));
        }
        throw new Redirect(path(accountId, userId) + "?done=greeting");
    }

    private Response device(Visit v, String accountId, String userId) {
        account(v, accountId);
        Form f = v.form();
        DeviceService.Assigned assigned;
        try {
            String existing = f.text("existing");
            assigned = existing != null
                    ? directory.devices().assign(v.actor(), accountId, userId, existing, null, null, false, false)
                    : directory.devices().assign(v.actor(), accountId, userId, f.text("mac"),
                            f.text("model") == null ? "" : f.text("model"), f.text("label"), false, false);
        } catch (Problem problem) {
            return page(v, accountId, userId, Pages.invalid(f, problem));
        }
        if (!assigned.created()) {
            throw new Redirect(path(accountId, userId) + "?done=device");
        }
        Map<String, Object> model = Pages.model("Device added");
        model.put("account", account(v, accountId));
        model.put("user", user(accountId, userId));
        model.put("device", assigned.device().device());
        model.put("provisioning", assigned.device().provisioning());
        model.put("next", path(accountId, userId));
        return pages.render("device-created", v, model);
    }

    private Response unassign(Visit v, String accountId, String userId) {
        account(v, accountId);
        directory.devices().unassign(v.actor(), accountId, userId, v.form().text("mac"));
        throw new Redirect(path(accountId, userId) + "?done=device");
    }
}
