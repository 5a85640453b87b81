package dialtone.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.core.Json;
import dialtone.core.Problem;
import dialtone.directory.CreatedUser;
import dialtone.directory.SetupProgress;
import dialtone.directory.User;
import dialtone.directory.UserBulk;
import dialtone.directory.UserInput;
import dialtone.directory.UserService;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import dialtone.store.Database;
import java.util.Map;
import java.util.Set;

/** Users: create, read with setup progress, change, delete, rotate the SIP password, welcome e-mail, CSV. */
final class UserRoutes implements RouteModule {

    /** The user list: paging, and {@code q} searched in names, username, extension, number and e-mail. */
    private static final Set<String> SEARCH = Set.of("after", "limit", "q");
    private static final Set<String> CSV_TYPES = Set.of("text/csv", "application/csv");

    private final Access access;
    private final Database db;
    private final UserService users;
    private final UserBulk bulk;

    UserRoutes(Access access, Database db, UserService users, UserBulk bulk) {
        this.access = access;
        this.db = db;
        this.users = users;
        this.bulk = bulk;
    }

    @Override
    public void register(Router<Call> router) {
        String users = "/accounts/{accountId}/users";
        String user = users + "/{userId}";
        router.add("POST", users, this::create)
                .add("GET", users, SEARCH, (r, p) -> Responses.json(200,
                        Views.page(this.users.list(access.account(r, p).id(), r.queryParam("q"), r.queryParam("after"),
                                r.limit()))))
                .add("GET", user, (r, p) -> user(access.account(r, p).id(), p.get("userId")))
                .add("PATCH", user, this::update)
                .add("DELETE", user, this::delete)
                .add("POST", user + "/sip-password", (r, p) -> Responses.json(200,
                        this.users.rotateSipPassword(r.actor(), access.adminAccount(r, p).id(), p.get("userId"))))
                .add("POST", user + "/welcome-email", this::sendWelcomeEmail)
                .add("POST", users + ":import", this::importUsers)
                .add("GET", users + ":export", (r, p) -> Response.of(200, "text/csv; charset=utf-8",
                                CsvTable.write(UserBulk.EXPORT_COLUMNS, bulk.exportRows(access.adminAccount(r, p).id())))
                        .withHeader("Content-Disposition", "attachment; filename=\"users.csv\""));
    }

    /** The user with its setup progress and welcome e-mail status. */
    private Response user(String accountId, String userId) {
        User user = users.find(accountId, userId).orElseThrow(() -> Problem.notFound("user " + userId));
        SetupProgress setup = SetupProgress.of(db, accountId, userId)
                .orElseThrow(() -> Problem.notFound("user " + userId));
        ObjectNode node = Json.MAPPER.valueToTree(user);
        node.set("setup", Json.MAPPER.valueToTree(setup));
        node.set("welcomeEmail", Json.MAPPER.valueToTree(setup.welcomeEmail()));
        return Responses.json(200, node);
    }

    private Response create(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        CreatedUser created = users.create(r.actor(), accountId, input(r));
        return Responses.json(201, Views.with(created.user(), "sip", created.sip()));
    }

    private Response update(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        return Responses.json(200, users.update(r.actor(), accountId, p.get("userId"), input(r)));
    }

    private Response delete(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        users.delete(r.actor(), accountId, p.get("userId"));
        return Response.empty(204);
    }

    private static UserInput input(Call r) {
        Body body = Body.parse(r.body(), UserInput.FIELDS);
        UserInput input = new UserInput(body.present(), body.text("firstName"), body.text("lastName"),
                body.text("username"), body.text("email"), body.bool("emailVoicemails"), body.text("phoneNumber"),
                body.text("extension"), body.text("unreachableForward"), body.text("locationId"),
                body.text("timeZone"), body.bool("authorizedUser"), body.text("pin"), body.bool("sendWelcomeEmail"));
        body.done();
        return input;
    }

    private Response sendWelcomeEmail(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        if (r.body().length > 0) {
            Body.parse(r.body(), Set.of()).done();
        }
        return Responses.json(202, Map.of("welcomeEmail", users.sendWelcomeEmail(r.actor(), accountId,
                p.get("userId"))));
    }

    private Response importUsers(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        r.requireContentType(CSV_TYPES, "text/csv");
        return Responses.json(200, bulk.importRows(r.actor(), accountId,
                CsvTable.parse(r.body(), UserBulk.IMPORT_COLUMNS, "user", UserBulk.MAX_ROWS)));
    }
}
