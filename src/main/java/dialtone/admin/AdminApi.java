package dialtone.admin;

import dialtone.core.Problem;
import dialtone.directory.Directory;
import dialtone.provisioning.PhoneSide;
import dialtone.server.Request;
import dialtone.server.RequestHandler;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import dialtone.store.Backups;
import dialtone.store.Database;
import dialtone.templates.FamilyRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin REST API, {@code /api/v1}: authenticates the bearer token, holds every route but the uploads to
 * the usual body limit, and dispatches to the route modules (one per resource), which check roles and scope.
 */
public final class AdminApi implements RequestHandler {

    static final String BASE = "/api/v1";

    private final TokenService tokens;
    private final int maxBodyBytes;
    private final Router<Call> router = new Router<>();

    AdminApi(TokenService tokens, int maxBodyBytes, List<RouteModule> modules) {
        this.tokens = tokens;
        this.maxBodyBytes = maxBodyBytes;
        modules.forEach(module -> module.register(router));
    }

    /**
     * @param maxBodyBytes the body limit of every route but uploads (the listener admits uploads up to their own limit)
     */
    public static AdminApi wire(Database db, Directory directory, PhoneSide phones, TokenService tokens,
                                Supplier<FamilyRegistry> families, Backups backups, int maxBodyBytes,
                                String phonePublicUrl) {
        Access access = new Access(directory.accounts());
        return new AdminApi(tokens, maxBodyBytes, List.of(
                new AccountRoutes(access, directory, phones, families, backups),
                new UserRoutes(access, db, directory.users(), directory.userBulk()),
                new UserStepRoutes(access, directory.e911(), directory.devices(), directory.greetings()),
                new DeviceRoutes(access, directory, phones),
                new LinphoneRoutes(access, directory.devices(), phonePublicUrl),
                new PhoneDataRoutes(access, directory, phones),
                new TokenRoutes(tokens, directory.accounts(), new AuditService(db))));
    }

    /** Every route, as {@code METHOD /pattern} below {@code /api/v1}. */
    public List<Router.Description> routes() {
        return router.routes();
    }

    @Override
    public Response handle(Request request) throws Exception {
        if (!request.rawPath().startsWith(BASE + "/")) {
            throw Problem.notFound("the resource " + request.rawPath());
        }
        // Only uploads may use the listener's larger limit; everything else answers as if it had the usual one.
        if (request.body().length > maxBodyBytes && !UserStepRoutes.isUpload(request.method(), request.rawPath())) {
            return Responses.problem(413, "too-large", "Content Too Large",
                    "the request body exceeds " + maxBodyBytes + " bytes");
        }
        Caller caller = tokens.authenticate(request.header("Authorization")).orElse(null);
        if (caller == null) {
            return Responses.problem(Problem.unauthorized()).withHeader("WWW-Authenticate", "Bearer");
        }
        return router.dispatch(new Call(request, caller), request.method(), request.rawPath().substring(BASE.length()),
                request.query().keySet());
    }
}
