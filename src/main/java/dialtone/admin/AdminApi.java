package dialtone.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.directory.AccountPolicyService;
import dialtone.directory.AccountService;
import dialtone.directory.Rules;
import dialtone.core.Json;
import dialtone.core.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import dialtone.directory.Address;
import dialtone.directory.CreatedUser;
import dialtone.directory.DeviceBulk;
import dialtone.directory.DeviceReplacement;
import dialtone.directory.DeviceService;
import dialtone.directory.DiscoveredDeviceService;
import dialtone.directory.LocationService;
import dialtone.directory.Page;
import dialtone.directory.UserInput;
import dialtone.directory.UserService;
import dialtone.directory.VarsService;
import dialtone.provisioning.PhoneUploads;
import dialtone.provisioning.AutoResync;
import dialtone.provisioning.DeviceSync;
import dialtone.provisioning.ResyncService;
import dialtone.store.Backups;
import dialtone.core.Problem;
import dialtone.server.Request;
import dialtone.server.RequestHandler;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import dialtone.templates.FamilyRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The admin REST API, {@code /api/v1}: every route, its role and its account scope, in one place. */
public final class AdminApi implements RequestHandler {

    static final String BASE = "/api/v1";

    private final int maxBodyBytes;
    private final Router<Call> router = new Router<>();

    /** Everything the admin API calls, wired by {@code Dialtone}. */
    public record Services(TokenService tokens, AccountService accounts, LocationService locations, UserService users,
                           DeviceService devices, Supplier<FamilyRegistry> families, DeviceReplacement replacement,
                           DeviceBulk deviceBulk, ResyncService resync, AutoResync autoResync, DeviceSync sync,
                           Backups backups, AccountPolicyService policies, AuditService audit, VarsService vars,
                           PhoneUploads uploads, DiscoveredDeviceService discovered, UserSteps steps) {}

    private final Services s;

    /**
     * @param maxBodyBytes the body limit of every route but uploads (the listener admits uploads up to their own limit)
     */
    public AdminApi(Services services, int maxBodyBytes) {
        this.s = services;
        this.maxBodyBytes = maxBodyBytes;
        PhoneDataApi phoneData = new PhoneDataApi(s.vars(), s.uploads(), s.discovered(), s.devices(), this::account);
        DeviceApi device = new DeviceApi(s.devices(), s.replacement(), s.sync(), s.uploads(), this::account);
        router.add("POST", "/backup", (r, p) -> {
                    requireOperator(r);
                    return Response.of(200, "application/zip", s.backups().take());
                })
                .add("GET", "/models", (r, p) -> Responses.json(200, Map.of("items", models())))
                .add("POST", "/accounts", (r, p) -> createAccount(r))
                .add("GET", "/accounts", (r, p) -> listAccounts(r))
                .add("GET", "/accounts/{accountId}", (r, p) -> Responses.json(200, account(r, p)))
                .add("PATCH", "/accounts/{accountId}", this::updateAccount)
                .add("POST", "/accounts/{accountId}/locations", this::createLocation)
                .add("GET", "/accounts/{accountId}/locations", (r, p) -> Responses.json(200,
                        Views.page(s.locations().list(adminAccount(r, p).id(), r.queryParam("after"), limit(r)))))
                .add("GET", "/accounts/{accountId}/locations/{locationId}", (r, p) -> Responses.json(200,
                        s.locations().find(adminAccount(r, p).id(), p.get("locationId"))
                                .orElseThrow(() -> Problem.notFound("location " + p.get("locationId")))))
                .add("POST", "/accounts/{accountId}/users", this::createUser)
                .add("GET", "/accounts/{accountId}/users", (r, p) -> Responses.json(200,
                        Views.page(s.users().list(account(r, p).id(), r.queryParam("after"), limit(r)))))
                .add("GET", "/accounts/{accountId}/users/{userId}", (r, p) -> s.steps().user(account(r, p).id(),
                        p.get("userId")))
                .add("PATCH", "/accounts/{accountId}/users/{userId}", this::updateUser)
                .add("DELETE", "/accounts/{accountId}/users/{userId}", this::deleteUser)
                .add("POST", "/accounts/{accountId}/devices", device::create)
                .add("GET", "/accounts/{accountId}/devices", (r, p) -> Responses.json(200,
                        Views.page(s.devices().list(account(r, p).id(), r.queryParam("after"), limit(r)), device::status)))
                .add("GET", "/accounts/{accountId}/devices/{mac}", (r, p) -> Responses.json(200,
                        device.status(s.devices().find(account(r, p).id(), p.get("mac"))
                                .orElseThrow(() -> Problem.notFound("device " + p.get("mac"))))))
                .add("DELETE", "/accounts/{accountId}/devices/{mac}", device::delete)
                .add("PUT", "/accounts/{accountId}/devices/{mac}/user", device::bind)
                .add("DELETE", "/accounts/{accountId}/devices/{mac}/user", (r, p) -> Responses.json(200,
                        s.devices().unbind(r.caller().actor(), account(r, p).id(), p.get("mac"))))
                .add("POST", "/accounts/{accountId}/devices:import", (r, p) -> Responses.json(200,
                        s.deviceBulk().importRows(r.caller().actor(), adminAccount(r, p).id(), CsvTable.parse(r.body(),
                                Set.copyOf(DeviceBulk.COLUMNS), "device", DeviceBulk.MAX_ROWS))))
                .add("GET", "/accounts/{accountId}/devices:export", (r, p) -> Response.of(200,
                        "text/csv; charset=utf-8", CsvTable.write(DeviceBulk.EXPORT_COLUMNS,
                                s.deviceBulk().exportRows(adminAccount(r, p).id()))))
                .add("POST", "/accounts/{accountId}/devices/{mac}/replace", device::replace)
                .add("POST", "/accounts/{accountId}/devices/{mac}/reactivate", device::reactivate)
                .add("PATCH", "/accounts/{accountId}/devices/{mac}", device::update)
                .add("POST", "/accounts/{accountId}/devices/{mac}/resync", (r, p) -> Responses.json(200,
                        s.resync().resync(r.caller().actor(), account(r, p).id(), p.get("mac"))))
                .add("POST", "/accounts/{accountId}/resync", (r, p) -> Responses.json(202,
                        s.resync().resyncAccount(r.caller().actor(), account(r, p).id())))
                // Security (issue 5): tokens, audit trail, credential rotation, account proof policy.
                .add("POST", "/tokens", (r, p) -> createToken(r))
                .add("GET", "/tokens", (r, p) -> listTokens(r))
                .add("DELETE", "/tokens/{tokenId}", this::revokeToken)
                .add("GET", "/audit", (r, p) -> listAudit(r))
                .add("POST", "/accounts/{accountId}/users/{userId}/sip-password", (r, p) -> Responses.json(200,
                        s.users().rotateSipPassword(r.caller().actor(), adminAccount(r, p).id(), p.get("userId"))))
                .add("POST", "/accounts/{accountId}/devices/{mac}/provisioning-password", (r, p) -> Responses.json(200,
                        s.devices().rotateProvisioningPassword(r.caller().actor(), adminAccount(r, p).id(),
                                p.get("mac"))))
                .add("GET", "/accounts/{accountId}/security-policy", (r, p) -> Responses.json(200,
                        s.policies().get(adminAccount(r, p).id())))
                .add("PUT", "/accounts/{accountId}/security-policy", this::replacePolicy)
                // Template variables, phone uploads and discovered devices (issue 4).
                .add("GET", "/accounts/{accountId}/vars", phoneData::accountVars)
                .add("PUT", "/accounts/{accountId}/vars", phoneData::replaceAccountVars)
                .add("GET", "/accounts/{accountId}/devices/{mac}/vars", phoneData::deviceVars)
                .add("PUT", "/accounts/{accountId}/devices/{mac}/vars", phoneData::replaceDeviceVars)
                .add("GET", "/accounts/{accountId}/devices/{mac}/uploads", phoneData::listUploads)
                .add("GET", "/accounts/{accountId}/devices/{mac}/uploads/{name}", phoneData::downloadUpload)
                .add("GET", "/discovered-devices", phoneData::listDiscovered)
                .add("POST", "/discovered-devices/{mac}", phoneData::adopt);
        // The add-user workflow (issue 3): steps 2-5 per user, then bulk import and export.
        String user = "/accounts/{accountId}/users/{userId}";
        router.add("GET", user + "/e911", (r, p) -> s.steps().getE911(account(r, p).id(), p.get("userId")))
                .add("PUT", user + "/e911", (r, p) -> s.steps().putE911(r.caller().actor(),
                        adminAccount(r, p).id(), p.get("userId"), r.body()))
                .add("PUT", user + "/device", (r, p) -> s.steps().putDevice(r, account(r, p).id(), p.get("userId")))
                .add("DELETE", user + "/device", (r, p) -> s.steps().deleteDevice(r.caller().actor(),
                        account(r, p).id(), p.get("userId"), r.queryParam("mac")))
                .add("PUT", user + "/greeting", (r, p) -> s.steps().putGreeting(r.caller().actor(),
                        adminAccount(r, p).id(), p.get("userId"), r.request()))
                .add("GET", user + "/greeting", (r, p) -> s.steps().getGreeting(account(r, p).id(), p.get("userId")))
                .add("DELETE", user + "/greeting", (r, p) -> s.steps().deleteGreeting(r.caller().actor(),
                        adminAccount(r, p).id(), p.get("userId")))
                .add("POST", user + "/welcome-email", (r, p) -> s.steps().sendWelcomeEmail(r.caller().actor(),
                        adminAccount(r, p).id(), p.get("userId"), r.body()))
                .add("POST", "/accounts/{accountId}/users:import", (r, p) -> s.steps().importUsers(r.caller().actor(),
                        adminAccount(r, p).id(), r.request()))
                .add("GET", "/accounts/{accountId}/users:export", (r, p) -> s.steps().exportUsers(
                        adminAccount(r, p).id()));
    }

    @Override
    public Response handle(Request request) throws Exception {
        if (!request.rawPath().startsWith(BASE + "/")) {
            throw Problem.notFound("the resource " + request.rawPath());
        }
        // Only uploads may use the listener's larger limit; everything else answers as if it had the usual one.
        if (request.body().length > maxBodyBytes && !UserSteps.isUpload(request.method(), request.rawPath())) {
            return Responses.problem(413, "too-large", "Content Too Large",
                    "the request body exceeds " + maxBodyBytes + " bytes");
        }
        Caller caller = s.tokens().authenticate(request.header("Authorization")).orElse(null);
        if (caller == null) {
            return Responses.problem(Problem.unauthorized()).withHeader("WWW-Authenticate", "Bearer");
        }
        String path = request.rawPath().substring(BASE.length());
        Response response = router.dispatch(new Call(request, caller), request.method(), path);
        if (!request.method().equals("GET") && response.status() < 300 && path.startsWith("/accounts/")) {
            s.autoResync().changed(path.split("/")[2]);
        }
        return response;
    }

    /** One authenticated request. */
    record Call(Request request, Caller caller) {
        String queryParam(String name) {
            return request.queryParam(name);
        }

        byte[] body() {
            return request.body();
        }
    }

    /** The account named in the path, if the caller may see it; otherwise 404, as for a missing one. */
    dialtone.directory.Account account(Call call, Map<String, String> params) {
        String id = params.get("accountId");
        if (!call.caller().canSee(id)) {
            throw Problem.notFound("account " + id);
        }
        return s.accounts().find(id).orElseThrow(() -> Problem.notFound("account " + id));
    }

    /** The account in the path for an admin-only operation: 404 when not visible, 403 for a technician. */
    private dialtone.directory.Account adminAccount(Call call, Map<String, String> params) {
        dialtone.directory.Account account = account(call, params);
        requireAdmin(call);
        return account;
    }

    /** Technicians may read and bind; everything else needs an admin (or the operator). */
    static void requireAdmin(Call call) {
        if (call.caller().role() == Caller.Role.TECHNICIAN) {
            throw Problem.forbidden("a technician token may not do this");
        }
    }

    private static void requireOperator(Call call) {
        if (!call.caller().isOperator()) {
            throw Problem.forbidden("only an operator token may do this");
        }
    }

    static int limit(Call call) {
        String value = call.queryParam("limit");
        if (value == null) {
            return Page.cap(null);
        }
        try {
            return Page.cap((int) Math.min(Integer.MAX_VALUE, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            throw Problem.badField("limit", "must be a whole number");
        }
    }

    private List<Map<String, String>> models() {
        return s.families().get().models().stream()
                .map(m -> Map.of("id", m.id(), "vendor", m.vendor(), "model", m.model(), "family", m.family()))
                .toList();
    }

    private Response createAccount(Call r) {
        requireOperator(r);
        Body body = Body.parse(r.body(), Set.of("name"));
        String name = body.text("name");
        body.done();
        return Responses.json(201, s.accounts().create(r.caller().actor(), name));
    }

    private Response updateAccount(Call r, Map<String, String> p) {
        String accountId = adminAccount(r, p).id();
        Body body = Body.parse(r.body(), Set.of("name", "autoResync"));
        String name = body.text("name");
        Boolean auto = body.bool("autoResync");
        body.done();
        return Responses.json(200, s.accounts().update(r.caller().actor(), accountId, name, auto));
    }

    private Response listAccounts(Call r) {
        Caller caller = r.caller();
        return Responses.json(200, Views.page(s.accounts().list(caller.isOperator() ? null : caller.accountId(),
                r.queryParam("after"), limit(r))));
    }

    private Response createLocation(Call r, Map<String, String> p) {
        String accountId = adminAccount(r, p).id();
        Body body = Body.parse(r.body(), Set.of("name", "address", "timeZone"));
        String name = body.text("name");
        Address address = address(body.object("address", UserSteps.ADDRESS_FIELDS));
        String timeZone = body.text("timeZone");
        body.done();
        return Responses.json(201, s.locations().create(r.caller().actor(), accountId, name, address, timeZone));
    }

    static Address address(Body body) {
        if (body == null) {
            return null;
        }
        return new Address(body.text("street"), body.text("city"), body.text("region"), body.text("postalCode"),
                body.text("country"));
    }

    private Response createUser(Call r, Map<String, String> p) {
        String accountId = adminAccount(r, p).id();
        CreatedUser created = s.users().create(r.caller().actor(), accountId, userInput(r));
        return Responses.json(201, Views.with(created.user(), "sip", created.sip()));
    }

    private Response updateUser(Call r, Map<String, String> p) {
        String accountId = adminAccount(r, p).id();
        return Responses.json(200, s.users().update(r.caller().actor(), accountId, p.get("userId"), userInput(r)));
    }

    private Response deleteUser(Call r, Map<String, String> p) {
        String accountId = adminAccount(r, p).id();
        s.users().delete(r.caller().actor(), accountId, p.get("userId"));
        return Response.empty(204);
    }

    private static UserInput userInput(Call r) {
        Body body = Body.parse(r.body(), UserInput.FIELDS);
        UserInput input = new UserInput(body.present(), body.text("firstName"), body.text("lastName"),
                body.text("username"), body.text("email"), body.bool("emailVoicemails"), body.text("phoneNumber"),
                body.text("extension"), body.text("unreachableForward"), body.text("locationId"),
                body.text("timeZone"), body.bool("authorizedUser"), body.text("pin"), body.bool("sendWelcomeEmail"));
        body.done();
        return input;
    }

    private Response createToken(Call r) {
        requireAdmin(r);
        Body body = Body.parse(r.body(), Set.of("role", "accountId", "name"));
        String roleText = body.text("role");
        String accountId = body.text("accountId");
        String name = body.text("name");
        body.done();
        Caller caller = r.caller();
        List<FieldError> errors = new ArrayList<>();
        Rules.text(errors, "name", name, 200);
        Caller.Role role = null;
        if (Rules.required(errors, "role", roleText)) {
            role = Arrays.stream(Caller.Role.values()).filter(x -> x.id().equals(roleText)).findFirst().orElse(null);
            if (role == null) {
                errors.add(new FieldError("role", "must be one of operator, admin, technician"));
            } else if (role == Caller.Role.OPERATOR && !caller.isOperator()) {
                errors.add(new FieldError("role", "only an operator token may create operator tokens"));
            }
        }
        if (role == Caller.Role.OPERATOR && accountId != null) {
            errors.add(new FieldError("accountId", "an operator token belongs to no account"));
        }
        if (role != Caller.Role.OPERATOR && accountId == null && caller.isOperator()) {
            errors.add(new FieldError("accountId", "is required for admin and technician tokens"));
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        String scope = role == Caller.Role.OPERATOR ? null : accountId == null ? caller.accountId() : accountId;
        if (scope != null) {
            if (!caller.canSee(scope)) {
                throw Problem.notFound("account " + scope);
            }
            if (s.accounts().find(scope).isEmpty()) {
                throw caller.isOperator() ? Problem.badField("accountId", "no such account")
                        : Problem.notFound("account " + scope);
            }
        }
        String token = s.tokens().issue(caller.actor(), role, scope, name);
        ObjectNode node = Json.MAPPER.valueToTree(s.tokens().findByToken(token));
        node.put("token", token);
        return Responses.json(201, node);
    }

    private Response listTokens(Call r) {
        requireAdmin(r);
        return Responses.json(200, Views.page(s.tokens().list(scope(r), r.queryParam("after"), limit(r))));
    }

    private Response revokeToken(Call r, Map<String, String> p) {
        requireAdmin(r);
        Caller caller = r.caller();
        if (!s.tokens().revoke(caller.actor(), caller.isOperator() ? null : caller.accountId(), p.get("tokenId"))) {
            throw Problem.notFound("token " + p.get("tokenId"));
        }
        return Response.empty(204);
    }

    private Response listAudit(Call r) {
        requireAdmin(r);
        String after = r.queryParam("after");
        Long before = null;
        if (after != null) {
            try {
                before = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw Problem.badField("after", "must be a cursor returned as 'next'");
            }
        }
        return Responses.json(200, Views.page(s.audit().list(scope(r), before, limit(r))));
    }

    /** The account a list is limited to: the caller's own, or for the operator the optional ?accountId. */
    private String scope(Call r) {
        Caller caller = r.caller();
        String requested = r.queryParam("accountId");
        if (caller.isOperator()) {
            return requested;
        }
        if (requested != null && !requested.equals(caller.accountId())) {
            throw Problem.notFound("account " + requested);
        }
        return caller.accountId();
    }

    private Response replacePolicy(Call r, Map<String, String> p) {
        String accountId = adminAccount(r, p).id();
        Body body = Body.parse(r.body(), Set.of("proofs", "allowedSources", "plainHttp"));
        List<String> proofs = body.textList("proofs");
        List<String> sources = body.textList("allowedSources");
        Boolean plainHttp = body.bool("plainHttp");
        body.done();
        return Responses.json(200, s.policies().replace(r.caller().actor(), accountId, proofs, sources, plainHttp));
    }
}
