package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Account;
import dialtone.directory.Address;
import dialtone.directory.CreatedUser;
import dialtone.directory.DeviceService;
import dialtone.directory.Directory;
import dialtone.directory.E911Service;
import dialtone.directory.SetupProgress;
import dialtone.directory.User;
import dialtone.directory.UserInput;
import dialtone.server.Response;
import dialtone.server.Router;
import dialtone.store.Database;
import dialtone.templates.FamilyRegistry;
import dialtone.templates.PhoneModel;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Add User wizard, one page per step with Save &amp; Continue: details, E911 address, device, greeting, done.
 * Every step calls the directory service the API calls, so the rules and messages are the same. Leaving half-way
 * leaves a user marked "setup incomplete"; the wizard resumes at the first unfinished step.
 */
final class WizardPages implements PortalRoutes {

    static final Set<String> DETAIL_FIELDS = Set.of("firstName", "lastName", "username", "email", "emailVoicemails",
            "phoneNumber", "extension", "unreachableForward", "locationId", "timeZone", "authorizedUser", "pin");
    private final Database db;
    private final Directory directory;
    private final Pages pages;
    private final Setup setup;
    private final Supplier<FamilyRegistry> families;

    WizardPages(Database db, Directory directory, Pages pages, Setup setup, Supplier<FamilyRegistry> families) {
        this.db = db;
        this.directory = directory;
        this.pages = pages;
        this.setup = setup;
        this.families = families;
    }

    @Override
    public void register(Router<Visit> router) {
        String users = "/admin/accounts/{accountId}/users";
        String steps = users + "/{userId}/setup";
        router.add("GET", users + "/new", (v, p) -> details(v, p.get("accountId"), Map.of()))
                .add("POST", users + "/new", (v, p) -> saveDetails(v, p.get("accountId")))
                .add("GET", steps, (v, p) -> resume(v, p.get("accountId"), p.get("userId")))
                .add("GET", steps + "/e911", (v, p) -> e911(v, p.get("accountId"), p.get("userId"), Map.of()))
                .add("POST", steps + "/e911", (v, p) -> saveE911(v, p.get("accountId"), p.get("userId")))
                .add("GET", steps + "/device", (v, p) -> device(v, p.get("accountId"), p.get("userId"), Map.of()))
                .add("POST", steps + "/device", (v, p) -> saveDevice(v, p.get("accountId"), p.get("userId")))
                .add("GET", steps + "/greeting", (v, p) -> greeting(v, p.get("accountId"), p.get("userId"), Map.of()))
                .add("POST", steps + "/greeting", (v, p) -> saveGreeting(v, p.get("accountId"), p.get("userId")))
                .add("GET", steps + "/done", (v, p) -> done(v, p.get("accountId"), p.get("userId")));
    }

    private Account account(Visit v, String accountId) {
        return Scope.account(directory, v.requireManager(), accountId);
    }

    private User user(String accountId, String userId) {
        return directory.users().find(accountId, userId).orElseThrow(() -> Problem.notFound("user " + userId));
    }

    private Map<String, Object> model(Account account, String step, String title) {
        Map<String, Object> model = Pages.model(title);
        model.put("account", account);
        model.put("step", step);
        model.put("stepNumber", Setup.STEPS.indexOf(step) + 1);
        model.put("steps", List.of(Map.of("id", "details", "name", "Details"), Map.of("id", Setup.E911, "name", "E911 address"),
                Map.of("id", Setup.DEVICE, "name", "Device"), Map.of("id", Setup.GREETING, "name", "Greeting"),
                Map.of("id", Setup.DONE, "name", "Done")));
        return model;
    }

    private Response render(Map<String, Object> model, String page, Visit v) {
        return pages.render((Integer) model.getOrDefault("status", 200), page, v, model);
    }

    private Response details(Visit v, String accountId, Map<String, Object> extra) {
        Account account = account(v, accountId);
        Map<String, Object> model = model(account, "details", "Add user: details");
        model.put("locations", directory.locations().list(accountId, null, 200).items());
        model.put("zones", AccountPages.ZONES);
        model.put("values", Map.of("sendWelcomeEmail", "on"));
        model.putAll(extra);
        return render(model, "wizard-details", v);
    }

    private Response saveDetails(Visit v, String accountId) {
        account(v, accountId);
        Form f = v.form();
        boolean authorized = f.checked("authorizedUser");
        UserInput input = new UserInput(DETAIL_FIELDS, f.text("firstName"), f.text("lastName"), f.text("username"),
                f.text("email"), f.checked("emailVoicemails"), f.text("phoneNumber"), f.text("extension"),
                f.text("unreachableForward"), f.text("locationId"), f.text("timeZone"), authorized, f.text("pin"),
                false);
        CreatedUser created;
        try {
            created = directory.users().create(v.actor(), accountId, input);
        } catch (Problem problem) {
            return details(v, accountId, Pages.invalid(f, problem));
        }
        setup.begin(v.actor(), accountId, created.user().id(), f.checked("sendWelcomeEmail"));
        throw new Redirect(stepPath(accountId, created.user().id(), Setup.E911));
    }

    static String stepPath(String accountId, String userId, String step) {
        return "/admin/accounts/" + accountId + "/users/" + userId + "/setup/" + step;
    }

    private Response resume(Visit v, String accountId, String userId) {
        account(v, accountId);
        user(accountId, userId);
        throw new Redirect(setup.next(userId).map(step -> stepPath(accountId, userId, step))
                .orElse("/admin/accounts/" + accountId + "/users/" + userId));
    }

    private Response e911(Visit v, String accountId, String userId, Map<String, Object> extra) {
        Account account = account(v, accountId);
        User user = user(accountId, userId);
        Map<String, Object> model = model(account, Setup.E911, "Add user: E911 address");
        model.put("user", user);
        var e911 = directory.e911().get(accountId, userId);
        model.put("e911", e911);
        Address a = e911.address();
        model.put("values", Map.of("address.street", a.street(), "address.city", a.city(), "address.region",
                a.region(), "address.postalCode", a.postalCode(), "address.country", a.country()));
        model.putAll(extra);
        return render(model, "wizard-e911", v);
    }

    private Response saveE911(Visit v, String accountId, String userId) {
        account(v, accountId);
        Form f = v.form();
        boolean correct = "correct".equals(f.text("action"));
        try {
            if (correct) {
                directory.e911().change(v.actor(), accountId, userId, new E911Service.Change(true,
                        new Address(f.text("address.street"), f.text("address.city"), f.text("address.region"),
                                f.text("address.postalCode"), f.text("address.country")), true));
            } else {
                directory.e911().change(v.actor(), accountId, userId, new E911Service.Change(false, null, true));
            }
        } catch (Problem problem) {
            Map<String, Object> extra = Pages.invalid(f, problem);
            extra.put("correcting", true);
            return e911(v, accountId, userId, extra);
        }
        setup.completed(v.actor(), accountId, userId, Setup.E911, correct ? "address=corrected" : "address=confirmed");
        throw new Redirect(stepPath(accountId, userId, Setup.DEVICE));
    }

    private Response device(Visit v, String accountId, String userId, Map<String, Object> extra) {
        Account account = account(v, accountId);
        Map<String, Object> model = model(account, Setup.DEVICE, "Add user: device");
        model.put("user", user(accountId, userId));
        model.put("assigned", directory.devices().ofUser(accountId, userId));
        model.put("unassigned", directory.devices().unassigned(accountId, 500));
        model.put("models", models(families.get()));
        model.putAll(extra);
        return render(model, "wizard-device", v);
    }

    static List<PhoneModel> models(FamilyRegistry registry) {
        return registry.models().stream().sorted(Comparator.comparing(PhoneModel::vendor)
                .thenComparing(PhoneModel::model)).toList();
    }

    private Response saveDevice(Visit v, String accountId, String userId) {
        account(v, accountId);
        Form f = v.form();
        String choice = f.text("choice");
        if ("no".equals(choice)) {
            user(accountId, userId);
            setup.completed(v.actor(), accountId, userId, Setup.DEVICE, "device=none");
            throw new Redirect(stepPath(accountId, userId, Setup.GREETING));
        }
        DeviceService.Assigned assigned;
        try {
            if (!"yes".equals(choice)) {
                throw Problem.badField("choice", "choose Yes or No");
            }
            String existing = f.text("existing");
            assigned = existing != null
                    ? directory.devices().assign(v.actor(), accountId, userId, existing, null, null, false, false)
                    : directory.devices().assign(v.actor(), accountId, userId, f.text("mac"),
                            f.text("model") == null ? "" : f.text("model"),
                            f.text("label"), false, false);
        } catch (Problem problem) {
            return device(v, accountId, userId, Pages.invalid(f, problem));
        }
        setup.completed(v.actor(), accountId, userId, Setup.DEVICE, "device=" + assigned.device().device().mac());
        if (!assigned.created()) {
            throw new Redirect(stepPath(accountId, userId, Setup.GREETING));
        }
        // The provisioning credentials of a new device: on this page, this once.
        Map<String, Object> model = model(account(v, accountId), Setup.DEVICE, "Add user: device added");
        model.put("user", user(accountId, userId));
        model.put("device", assigned.device().device());
        model.put("provisioning", assigned.device().provisioning());
        model.put("next", stepPath(accountId, userId, Setup.GREETING));
        return render(model, "device-created", v);
    }

    private Response greeting(Visit v, String accountId, String userId, Map<String, Object> extra) {
        Account account = account(v, accountId);
        Map<String, Object> model = model(account, Setup.GREETING, "Add user: greeting");
        model.put("user", user(accountId, userId));
        model.put("greeting", directory.greetings().get(accountId, userId));
        model.putAll(extra);
        return render(model, "wizard-greeting", v);
    }

    private Response saveGreeting(Visit v, String accountId, String userId) {
        account(v, accountId);
        Form f = v.form();
        String detail;
        try {
            if ("upload".equals(f.text("choice"))) {
                byte[] audio = f.file("greeting");
                if (audio == null) {
                    throw Problem.badField("greeting", "choose a WAV file to upload, or keep the default greeting");
                }
                var stored = directory.greetings().set(v.actor(), accountId, userId, audio);
                detail = "greeting=custom " + stored.info().encoding();
            } else {
                directory.greetings().delete(v.actor(), accountId, userId);
                detail = "greeting=default";
            }
        } catch (Problem problem) {
            return greeting(v, accountId, userId, greetingErrors(f, problem));
        }
        setup.completed(v.actor(), accountId, userId, Setup.GREETING, detail);
        if (setup.finish(userId)) {
            directory.users().sendWelcomeEmail(v.actor(), accountId, userId);
        }
        throw new Redirect(stepPath(accountId, userId, Setup.DONE));
    }

    /** The greeting's errors (format, size: fields such as sampleRate or body) all belong next to the file field. */
    static Map<String, Object> greetingErrors(Form f, Problem problem) {
        if (problem.errors().isEmpty()) {
            throw problem;
        }
        Map<String, Object> extra = new HashMap<>();
        extra.put("errors", Map.of("greeting", String.join("; ", problem.errors().stream()
                .map(e -> e.field().equals("greeting") ? e.reason() : e.field() + " " + e.reason()).toList())));
        extra.put("status", problem.kind() == Problem.Kind.TOO_LARGE ? 413
                : problem.kind() == Problem.Kind.UNSUPPORTED ? 415 : 400);
        return extra;
    }

    private Response done(Visit v, String accountId, String userId) {
        Account account = account(v, accountId);
        User user = user(accountId, userId);
        Map<String, Object> model = model(account, Setup.DONE, "Add user: done");
        model.put("user", user);
        model.put("location", directory.locations().find(accountId, user.locationId()).orElse(null));
        model.put("e911", directory.e911().get(accountId, userId));
        model.put("devices", directory.devices().ofUser(accountId, userId));
        model.put("greeting", directory.greetings().get(accountId, userId));
        SetupProgress progress = SetupProgress.of(db, accountId, userId).orElseThrow();
        model.put("welcome", progress.welcomeEmail());
        model.put("incomplete", setup.next(userId).orElse(null));
        return render(model, "wizard-done", v);
    }
}
