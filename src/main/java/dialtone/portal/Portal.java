package dialtone.portal;

import dialtone.config.DialtoneConfig;
import dialtone.core.Problem;
import dialtone.directory.Administrator;
import dialtone.directory.Directory;
import dialtone.directory.PortalPasswords.PortalUser;
import dialtone.security.Secrets;
import dialtone.server.Request;
import dialtone.server.RequestHandler;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import dialtone.store.Database;
import dialtone.templates.FamilyRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal, the browser face: server-rendered pages for administrators (accounts, the Add User wizard, users,
 * devices, import, audit) and for users (their own page). Every answer carries a Content-Security-Policy without
 * inline script and {@code frame-ancestors 'none'}; every POST must come from the portal's own pages (Origin,
 * Fetch metadata) and carry the CSRF token of its session (or, before login, of the login cookie).
 */
public final class Portal implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Portal.class);
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** POSTs made before login: their CSRF token is the login cookie's, not a session's. */
    private static final Set<String> PUBLIC_POSTS = Set.of("/login", "/admin/login", "/forgot", "/reset");
    private static final Map<String, String> ASSETS = Map.of("/static/portal.css", "text/css; charset=utf-8",
            "/static/portal.js", "text/javascript; charset=utf-8");

    private final Sessions sessions;
    private final Directory directory;
    private final Pages pages;
    private final Router<Visit> router = new Router<>();

    Portal(Sessions sessions, Directory directory, Pages pages, List<PortalRoutes> modules) {
        this.sessions = sessions;
        this.directory = directory;
        this.pages = pages;
        modules.forEach(m -> m.register(router));
    }

    public static Portal wire(DialtoneConfig.Portal config, Database db, Directory directory, PhoneStatus phones,
                              Supplier<FamilyRegistry> families) {
        Sessions sessions = new Sessions(db, Duration.ofMinutes(config.idleMinutes()),
                Duration.ofHours(config.absoluteHours()));
        Pages pages = new Pages();
        LoginThrottle throttle = new LoginThrottle(config.loginSlowAfter(), config.loginRefuseAfter(),
                config.loginRefuseMinutes() * 60_000L, Clock.systemUTC());
        Setup setup = new Setup(db);
        return new Portal(sessions, directory, pages, List.of(
                new LoginPages(sessions, directory, pages, throttle, db),
                new AccountPages(directory, pages),
                new AdministratorPages(directory, pages),
                // The wizard's /users/new before the user pages' /users/{userId}: the first match wins.
                new WizardPages(db, directory, pages, setup, families),
                new UserPages(db, directory, pages, setup),
                new DevicePages(directory, pages, phones, families),
                new DiscoveredPages(directory, pages, families),
                new ImportPages(directory, pages, new ImportJobs(importWorkers(), Clock.systemUTC())),
                new AuditPages(db, directory, pages),
                new SelfPages(directory, pages)));
    }

    /** Up to four imports at a time (one per account: the directory refuses a second), a few more queued. */
    private static java.util.concurrent.Executor importWorkers() {
        var pool = new java.util.concurrent.ThreadPoolExecutor(4, 4, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(16), dialtone.core.DaemonThreads.named("dialtone-portal-import", true));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Every page and form, as {@code METHOD /pattern}. */
    public List<Router.Description> routes() {
        return router.routes();
    }

    @Override
    public Response handle(Request request) {
        Response response;
        Visit visit = null;
        try {
            String asset = ASSETS.get(request.rawPath());
            if (asset != null) {
                response = asset(request.rawPath(), asset);
            } else {
                visit = visit(request);
                // Pages read the query parameters they know and ignore others (a browser or a mail client may add
                // some): the router is not asked to refuse any.
                response = router.dispatch(visit, request.method(), request.rawPath(), Set.of());
            }
        } catch (Redirect redirect) {
            response = Response.empty(303).withHeader("Location", redirect.location());
        } catch (Problem problem) {
            response = errorPage(problem, visit != null ? visit : new Visit(request, Form.EMPTY, null, null, null));
        } catch (Exception e) {
            LOG.error("portal: {} {} failed", request.method(), request.rawPath(), e);
            response = errorPage(new Problem(Problem.Kind.UNAVAILABLE, "Something went wrong; try again."),
                    new Visit(request, Form.EMPTY, null, null, null));
        }
        return secured(response);
    }

    private Visit visit(Request request) {
        boolean post = request.method().equals("POST");
        if (post) {
            requireSameOrigin(request);
        }
        Session session = sessions.find(Cookies.read(request, Cookies.SESSION)).orElse(null);
        Form form = Form.parse(request);
        Administrator admin = null;
        PortalUser user = null;
        if (session != null && Session.ADMIN.equals(session.kind())) {
            admin = directory.administrators().find(session.personId()).orElse(null);
        } else if (session != null) {
            user = directory.portalPasswords().find(session.personId()).orElse(null);
        }
        if (session != null && admin == null && user == null) {
            sessions.end(session.id());
            session = null;
        }
        if (post) {
            String expected = PUBLIC_POSTS.contains(request.rawPath()) ? Cookies.read(request, Cookies.LOGIN_CSRF)
                    : session == null ? null : session.csrf();
            if (expected == null && session == null && !PUBLIC_POSTS.contains(request.rawPath())) {
                throw new Redirect(request.rawPath().startsWith("/admin/") ? "/admin/login" : "/login");
            }
            if (!Secrets.constantTimeEquals(expected, form.raw("csrf"))) {
                throw Problem.forbidden("This form has expired or did not come from this portal. "
                        + "Go back, reload the page and send it again.");
            }
        }
        return new Visit(request, form, session, admin, user);
    }

    /** Refuses a POST that a browser says was sent from another site (Fetch metadata, else Origin). */
    private static void requireSameOrigin(Request request) {
        String site = request.header("Sec-Fetch-Site");
        String origin = request.header("Origin");
        String host = request.header("Host");
        // Fetch metadata when the browser sends it; else the Origin, which must be this portal's own.
        boolean crossSite = site != null ? !site.equals("same-origin") && !site.equals("none")
                : origin != null && !origin.equals("https://" + host);
        if (crossSite) {
            throw Problem.forbidden("This form was sent from another site; it is refused.");
        }
    }

    private Response errorPage(Problem problem, Visit visit) {
        if (problem.kind() == Problem.Kind.UNAUTHORIZED) {
            return Response.empty(303).withHeader("Location", "/login");
        }
        int status = Responses.status(problem.kind());
        Map<String, Object> model = Pages.model(switch (problem.kind()) {
            case NOT_FOUND -> "Not found";
            case FORBIDDEN -> "Not allowed";
            case INVALID, CONFLICT, UNSUPPORTED, TOO_LARGE -> "Cannot do that";
            default -> "Not available";
        });
        model.put("status", status);
        model.put("message", problem.kind() == Problem.Kind.NOT_FOUND ? "There is no such page." : problem.getMessage());
        model.put("fieldErrors", problem.errors());
        return pages.render(status, "error", visit, model);
    }

    private static Response secured(Response response) {
        return response.withHeader("Content-Security-Policy", CSP)
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Referrer-Policy", "same-origin")
                .withHeader("Strict-Transport-Security", "max-age=31536000")
                .withHeader("Cross-Origin-Opener-Policy", "same-origin");
    }

    private static Response asset(String path, String type) throws IOException {
        try (InputStream in = Portal.class.getResourceAsStream("/portal" + path)) {
            if (in == null) {
                throw Problem.notFound(path);
            }
            return Response.of(200, type, in.readAllBytes()).withHeader("Cache-Control", "public, max-age=3600");
        }
    }

    static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
