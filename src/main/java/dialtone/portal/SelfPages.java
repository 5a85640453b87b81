package dialtone.portal;

import dialtone.core.Problem;
import dialtone.directory.Directory;
import dialtone.directory.PortalPasswords.PortalUser;
import dialtone.directory.User;
import dialtone.directory.UserInput;
import dialtone.server.Response;
import dialtone.server.Router;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The user's own page: number, extension, location and phones; the "unreachable" forward target, e-mailed
 * voicemails and the greeting are theirs to change. Any other user's page is "not found", exactly like a missing
 * one. Changes go through the same directory services as an administrator's, so they reach the phone's
 * configuration (and its auto-resync) the same way.
 */
final class SelfPages implements PortalRoutes {

    private static final Set<String> SETTINGS = Set.of("unreachableForward", "emailVoicemails");
    private static final Map<String, String> NOTICES = Map.of("saved", "Your settings are saved.",
            "greeting", "Your greeting is changed.");
    private final Directory directory;
    private final Pages pages;

    SelfPages(Directory directory, Pages pages) {
        this.directory = directory;
        this.pages = pages;
    }

    @Override
    public void register(Router<Visit> router) {
        router.add("GET", "/users/{userId}", (v, p) -> page(v, p.get("userId"), Map.of()))
                .add("POST", "/users/{userId}/settings", (v, p) -> settings(v, p.get("userId")))
                .add("POST", "/users/{userId}/greeting", (v, p) -> greeting(v, p.get("userId")));
    }

    /** The user, if it is the one logged in; anyone else's page does not exist for them. */
    private User own(Visit v, String userId) {
        PortalUser me = v.requireUser();
        if (!me.userId().equals(userId)) {
            throw Problem.notFound("user " + userId);
        }
        return directory.users().find(me.accountId(), userId).orElseThrow(() -> Problem.notFound("user " + userId));
    }

    private Response page(Visit v, String userId, Map<String, Object> extra) {
        User user = own(v, userId);
        Map<String, Object> model = Pages.model(user.displayName());
        model.put("user", user);
        model.put("location", directory.locations().find(user.accountId(), user.locationId()).orElse(null));
        model.put("devices", directory.devices().ofUser(user.accountId(), userId));
        model.put("greeting", directory.greetings().get(user.accountId(), userId));
        model.put("notice", v.queryParam("done") == null ? null : NOTICES.get(v.queryParam("done")));
        Map<String, String> values = new HashMap<>();
        values.put("unreachableForward", user.unreachableForward());
        values.put("emailVoicemails", user.emailVoicemails() ? "on" : null);
        model.put("values", values);
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "me", v, model);
    }

    private Response settings(Visit v, String userId) {
        User user = own(v, userId);
        Form f = v.form();
        UserInput input = new UserInput(SETTINGS, null, null, null, null, f.checked("emailVoicemails"), null, null,
                f.text("unreachableForward"), null, null, null, null, null);
        try {
            directory.users().update(v.actor(), user.accountId(), userId, input);
        } catch (Problem problem) {
            return page(v, userId, Pages.invalid(f, problem));
        }
        throw new Redirect("/users/" + userId + "?done=saved");
    }

    private Response greeting(Visit v, String userId) {
        User user = own(v, userId);
        Form f = v.form();
        try {
            if ("upload".equals(f.text("choice"))) {
                byte[] audio = f.file("greeting");
                if (audio == null) {
                    throw Problem.badField("greeting", "choose a WAV file to upload, or go back to the default greeting");
                }
                directory.greetings().set(v.actor(), user.accountId(), userId, audio);
            } else {
                directory.greetings().delete(v.actor(), user.accountId(), userId);
            }
        } catch (Problem problem) {
            return page(v, userId, WizardPages.greetingErrors(f, problem));
        }
        throw new Redirect("/users/" + userId + "?done=greeting");
    }
}
