package dialtone.portal;

import dialtone.core.FieldError;
import dialtone.core.Problem;
import dialtone.directory.Administrator;
import dialtone.directory.Directory;
import dialtone.directory.PortalPasswords.PortalUser;
import dialtone.server.Response;
import dialtone.server.Router;
import dialtone.store.AuditLog;
import dialtone.store.Database;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Logging in and out, for users ({@code /login}) and administrators ({@code /admin/login}); changing a password
 * (at once after a temporary or one-time one); "forgot password". A wrong password and an unknown username get
 * the same page after the same work; failures slow down, then refuse, per username and per source.
 */
final class LoginPages implements PortalRoutes {

    static final String WRONG = "Wrong username or password.";
    private final Sessions sessions;
    private final Directory directory;
    private final Pages pages;
    private final LoginThrottle throttle;
    private final Database db;

    LoginPages(Sessions sessions, Directory directory, Pages pages, LoginThrottle throttle, Database db) {
        this.sessions = sessions;
        this.directory = directory;
        this.pages = pages;
        this.throttle = throttle;
        this.db = db;
    }

    @Override
    public void register(Router<Visit> router) {
        router.add("GET", "/", (v, p) -> {
            throw new Redirect(v.admin() != null ? "/admin" : v.user() != null ? "/users/" + v.user().userId() : "/login");
        })
                .add("GET", "/login", (v, p) -> loginPage(v, Session.USER, 200, null, v.queryParam("done")))
                .add("POST", "/login", (v, p) -> login(v, Session.USER))
                .add("GET", "/admin/login", (v, p) -> loginPage(v, Session.ADMIN, 200, null, null))
                .add("POST", "/admin/login", (v, p) -> login(v, Session.ADMIN))
                .add("POST", "/logout", (v, p) -> logout(v))
                .add("GET", "/password", (v, p) -> passwordPage(v, Session.USER, Map.of()))
                .add("POST", "/password", (v, p) -> changePassword(v, Session.USER))
                .add("GET", "/admin/password", (v, p) -> passwordPage(v, Session.ADMIN, Map.of()))
                .add("POST", "/admin/password", (v, p) -> changePassword(v, Session.ADMIN))
                .add("GET", "/forgot", (v, p) -> publicPage(v, 200, "forgot", Pages.model("Forgot password")))
                .add("POST", "/forgot", (v, p) -> forgot(v))
                .add("GET", "/reset", (v, p) -> publicPage(v, 200, "reset", Pages.model("Choose a new password")))
                .add("POST", "/reset", (v, p) -> reset(v));
    }

    /** The login form; its CSRF token is a cookie of its own (there is no session yet) and stays until used. */
    private Response loginPage(Visit v, String kind, int status, String error, String notice) {
        Map<String, Object> model = Pages.model(Session.ADMIN.equals(kind) ? "Administrator login" : "Log in");
        model.put("kind", kind);
        model.put("error", error);
        model.put("notice", "reset".equals(notice) ? "Your password is changed. Log in with the new one." : null);
        model.put("username", v.form().text("username"));
        return publicPage(v, status, "login", model);
    }

    /**
     * A page whose form is sent before login: its CSRF token is the login cookie's (double submit), kept as it is
     * while the browser has one, so that answers to the same form are the same.
     */
    private Response publicPage(Visit v, int status, String page, Map<String, Object> model) {
        String token = Cookies.read(v.request(), Cookies.LOGIN_CSRF);
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            token = Sessions.token();
        }
        model.put("csrf", token);
        return pages.render(status, page, v, model).withHeader("Set-Cookie", Cookies.set(Cookies.LOGIN_CSRF, token));
    }

    private Response login(Visit v, String kind) {
        String username = v.form().text("username");
        String password = v.form().raw("password");
        if (throttle.refused(username, v.source())) {
            audit(v.actor(), null, "portal.login.refused", "login", username, "from=" + v.source());
            return loginPage(v, kind, 429, "Too many failed logins for this username or from your address. "
                    + "Wait a quarter of an hour, then try again.", null);
        }
        Optional<String> person;
        String accountId = null;
        String actor;
        boolean mustChange;
        if (Session.ADMIN.equals(kind)) {
            Optional<Administrator> admin = directory.administrators().authenticate(username, password);
            person = admin.map(Administrator::id);
            actor = admin.map(Administrator::actor).orElse(null);
            accountId = admin.map(Administrator::accountId).orElse(null);
            mustChange = admin.map(Administrator::mustChangePassword).orElse(false);
        } else {
            Optional<PortalUser> user = directory.portalPasswords().authenticate(username, password);
            person = user.map(PortalUser::userId);
            actor = user.map(PortalUser::actor).orElse(null);
            accountId = user.map(PortalUser::accountId).orElse(null);
            mustChange = user.map(PortalUser::mustChange).orElse(false);
        }
        if (person.isEmpty()) {
            long delay = throttle.failed(username, v.source());
            audit(v.actor(), null, "portal.login.failed", "login", username, "kind=" + kind + " from=" + v.source());
            return loginPage(v, kind, 200, WRONG, null).delayedBy(delay);
        }
        throttle.succeeded(username);
        if (v.session() != null) {
            sessions.end(v.session().id());
        }
        Session session = sessions.start(kind, person.get());
        audit(actor, accountId, "portal.login", Session.ADMIN.equals(kind) ? "administrator" : "user", person.get(),
                "from=" + v.source());
        String next = Session.ADMIN.equals(kind) ? (mustChange ? "/admin/password" : "/admin")
                : (mustChange ? "/password" : "/users/" + person.get());
        return Response.empty(303).withHeader("Location", next)
                .withHeader("Set-Cookie", Cookies.set(Cookies.SESSION, session.id()))
                .withHeader("Set-Cookie", Cookies.clear(Cookies.LOGIN_CSRF));
    }

    private Response logout(Visit v) {
        String to = v.admin() != null ? "/admin/login" : "/login";
        if (v.session() != null) {
            sessions.end(v.session().id());
            audit(v.actor(), v.user() != null ? v.user().accountId() : v.admin() != null ? v.admin().accountId() : null,
                    "portal.logout", v.admin() != null ? "administrator" : "user",
                    v.session().personId(), null);
        }
        return Response.empty(303).withHeader("Location", to).withHeader("Set-Cookie", Cookies.clear(Cookies.SESSION));
    }

    private Response passwordPage(Visit v, String kind, Map<String, Object> extra) {
        requirePerson(v, kind);
        Map<String, Object> model = Pages.model("Choose your password");
        model.put("kind", kind);
        model.put("forced", Session.ADMIN.equals(kind) ? v.admin().mustChangePassword() : v.user().mustChange());
        model.put("minLength", dialtone.directory.Rules.MIN_PORTAL_PASSWORD);
        model.putAll(extra);
        return pages.render((Integer) model.getOrDefault("status", 200), "password", v, model);
    }

    private Response changePassword(Visit v, String kind) {
        requirePerson(v, kind);
        String current = v.form().raw("currentPassword");
        String replacement = v.form().raw("newPassword");
        try {
            if (replacement != null && !replacement.equals(v.form().raw("confirmPassword"))) {
                throw Problem.badField("confirmPassword", "does not match the new password");
            }
            String personId = v.session().personId();
            if (Session.ADMIN.equals(kind)) {
                directory.administrators().changePassword(v.actor(), personId, current, replacement);
            } else {
                directory.portalPasswords().change(v.actor(), personId, current, replacement);
            }
            // Every other session of this person ends; this browser gets a new session id.
            sessions.endAll(kind, personId);
            Session session = sessions.start(kind, personId);
            return Response.empty(303).withHeader("Location", Session.ADMIN.equals(kind) ? "/admin" : "/users/" + personId)
                    .withHeader("Set-Cookie", Cookies.set(Cookies.SESSION, session.id()));
        } catch (Problem problem) {
            Map<String, Object> extra = Pages.invalid(Form.EMPTY, problem);
            return passwordPage(v, kind, extra);
        }
    }

    private static void requirePerson(Visit v, String kind) {
        if (Session.ADMIN.equals(kind) ? v.admin() == null : v.user() == null) {
            throw new Redirect(Session.ADMIN.equals(kind) ? "/admin/login" : "/login");
        }
    }

    private Response forgot(Visit v) {
        String username = v.form().text("username");
        directory.portalPasswords().requestReset("anonymous@" + v.source(), username);
        Map<String, Object> model = Pages.model("Forgot password");
        model.put("sent", true);
        return publicPage(v, 200, "forgot", model);
    }

    private Response reset(Visit v) {
        String token = v.form().text("token");
        String replacement = v.form().raw("newPassword");
        try {
            if (replacement != null && !replacement.equals(v.form().raw("confirmPassword"))) {
                throw Problem.badField("confirmPassword", "does not match the new password");
            }
            PortalUser user = directory.portalPasswords().reset("anonymous@" + v.source(), token, replacement);
            sessions.endAll(Session.USER, user.userId());
            return Response.empty(303).withHeader("Location", "/login?done=reset");
        } catch (Problem problem) {
            if (problem.errors().isEmpty()) {
                throw problem;
            }
            List<FieldError> errors = problem.errors();
            Map<String, Object> model = Pages.withErrors(Pages.model("Choose a new password"), v.form(), errors);
            model.put("values", Map.of("token", token == null ? "" : token));
            return publicPage(v, 400, "reset", model);
        }
    }

    private void audit(String actor, String accountId, String action, String objectType, String objectId,
                       String detail) {
        String id = objectId == null ? "-" : objectId.length() > 60 ? objectId.substring(0, 60) : objectId;
        AuditLog.record(db.dsl(), actor, accountId, action, objectType, id, detail);
    }
}
