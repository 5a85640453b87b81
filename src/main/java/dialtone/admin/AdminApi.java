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
 * The admin REST API, {@code /api/v1}: names each route's body limit (uploads get the larger one),
 * authenticates the bearer token, and dispatches to the route modules (one per resource), which check roles and scope.
 * Its description ({@link ApiDocs}: the OpenAPI document and Swagger UI) is answered before any token is asked for.
 */
public final class AdminApi implements RequestHandler {

    static final String BASE = "/api/v1";

    private final TokenService tokens;
    private final int maxBodyBytes;
    private final int maxUploadBytes;
    private final Router<Call> router = new Router<>();
    private final ApiDocs docs = new ApiDocs();

    AdminApi(TokenService tokens, int maxBodyBytes, int maxUploadBytes, List<RouteModule> modules) {
        this.tokens = tokens;
        this.maxBodyBytes = maxBodyBytes;
        this.maxUploadBytes = maxUploadBytes;
        modules.forEach(module -> module.register(router));
    }

    /**
     * @param maxBodyBytes the body limit of every route but uploads
     * @param maxUploadBytes the body limit of uploads (greetings, CSV imports)
     */
    public static AdminApi wire(Database db, Directory directory, PhoneSide phones, TokenService tokens,
                                Supplier<FamilyRegistry> families, Backups backups, int maxBodyBytes,
                                int maxUploadBytes, String phonePublicUrl) {
        Access access = new Access(directory.accounts());
        return new AdminApi(tokens, maxBodyBytes, maxUploadBytes, List.of(
                new AccountRoutes(access, directory, phones, families, backups),
                new UserRoutes(access, db, directory.users(), directory.userBulk()),
                new UserStepRoutes(access, directory.e911(), directory.devices(), directory.greetings()),
                new DeviceRoutes(access, directory, phones),
                new LinphoneRoutes(access, directory.devices(), phonePublicUrl),
                new PhoneDataRoutes(access, directory, phones),
                new TokenRoutes(tokens, directory.accounts(), new AuditService(db)),
                new AdministratorRoutes(directory.administrators())));
    }

    /** Every route, as {@code METHOD /pattern} below {@code /api/v1}. */
    public List<Router.Description> routes() {
        return router.routes();
    }

    /** The description and its UI, from memory; everything else goes to the workers. */
    @Override
    public Response answerAtOnce(Request request) {
        return ApiDocs.serves(request.rawPath()) ? docs.answer(request) : null;
    }

    /** Only uploads get the larger limit; the listener refuses a larger body before reading it (413). */
    @Override
    public long maxBodyBytes(String method, String rawPath) {
        return UserStepRoutes.isUpload(method, rawPath) ? maxUploadBytes : maxBodyBytes;
    }

    @Override
    public Response handle(Request request) throws Exception {
        if (ApiDocs.serves(request.rawPath())) {
            return docs.answer(request);
        }
        if (!request.rawPath().startsWith(BASE + "/")) {
            throw Problem.notFound("the resource " + request.rawPath());
        }
        Caller caller = tokens.authenticate(request.header("Authorization")).orElse(null);
        if (caller == null) {
            return Responses.problem(Problem.unauthorized()).withHeader("WWW-Authenticate", "Bearer");
        }
        if (caller.role() == Caller.Role.PBX) {
            throw Problem.forbidden("a pbx token only reads the SIP directory, on the pbx listener");
        }
        return router.dispatch(new Call(request, caller), request.method(), request.rawPath().substring(BASE.length()),
                request.query().keySet());
    }
}
