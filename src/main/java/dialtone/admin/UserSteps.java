package dialtone.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.directory.Address;
import dialtone.directory.DeviceService;
import dialtone.directory.E911Service;
import dialtone.directory.Greeting;
import dialtone.directory.GreetingService;
import dialtone.directory.SetupProgress;
import dialtone.directory.User;
import dialtone.directory.UserBulk;
import dialtone.directory.UserService;
import dialtone.core.Json;
import dialtone.core.FieldError;
import dialtone.core.Problem;
import dialtone.server.Request;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.store.Database;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The add-user workflow's steps behind the admin routes: E911, device, greeting, welcome e-mail, setup
 * progress, bulk import and export. Reads each request's body and hands the values to the services.
 */
public final class UserSteps {

    static final Set<String> ADDRESS_FIELDS = Set.of("street", "city", "region", "postalCode", "country");
    private static final Set<String> WAV_TYPES = Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave");
    private static final Set<String> CSV_TYPES = Set.of("text/csv", "application/csv");
    static final String GREETING_HEADER = "X-Greeting";

    private final Database db;
    private final UserService users;
    private final E911Service e911;
    private final DeviceService devices;
    private final GreetingService greetings;
    private final UserBulk bulk;

    public UserSteps(Database db, UserService users, E911Service e911, DeviceService devices, GreetingService greetings,
              UserBulk bulk) {
        this.db = db;
        this.users = users;
        this.e911 = e911;
        this.devices = devices;
        this.greetings = greetings;
        this.bulk = bulk;
    }

    /** Requests whose bodies may be larger than {@code server.max-body-bytes}: uploads. */
    static boolean isUpload(String method, String path) {
        return method.equals("PUT") && path.endsWith("/greeting") || method.equals("POST") && path.endsWith(":import");
    }

    /** The user with its setup progress and welcome e-mail status. */
    Response user(String accountId, String userId) {
        User user = users.find(accountId, userId).orElseThrow(() -> Problem.notFound("user " + userId));
        SetupProgress setup = SetupProgress.of(db, accountId, userId)
                .orElseThrow(() -> Problem.notFound("user " + userId));
        ObjectNode node = Json.MAPPER.valueToTree(user);
        node.set("setup", Json.MAPPER.valueToTree(setup));
        node.set("welcomeEmail", Json.MAPPER.valueToTree(setup.welcomeEmail()));
        return Responses.json(200, node);
    }

    Response getE911(String accountId, String userId) {
        return Responses.json(200, e911.get(accountId, userId));
    }

    Response putE911(String actor, String accountId, String userId, byte[] raw) {
        Body body = Body.parse(raw, Set.of("address", "confirmed"));
        boolean changeAddress = body.has("address");
        Address address = AdminApi.address(body.object("address", ADDRESS_FIELDS));
        Boolean confirmed = body.bool("confirmed");
        body.done();
        return Responses.json(200, e911.change(actor, accountId, userId,
                new E911Service.Change(changeAddress, address, confirmed)));
    }

    /** PUT device: 201 with provisioning credentials when a new device was created, else 200. */
    Response putDevice(AdminApi.Call call, String accountId, String userId) {
        Body body = Body.parse(call.body(), Set.of("mac", "model", "label", "move"));
        String mac = body.text("mac");
        String model = body.text("model");
        String label = body.text("label");
        Boolean move = body.bool("move");
        body.done();
        if ((model != null || label != null) && call.caller().role() == Caller.Role.TECHNICIAN) {
            throw Problem.forbidden("a technician token may bind devices but not add them");
        }
        DeviceService.Assigned assigned = devices.assign(call.caller().actor(), accountId, userId, mac, model, label,
                Boolean.TRUE.equals(move));
        if (assigned.created()) {
            return Responses.json(201, Views.with(assigned.device().device(), "provisioning",
                    assigned.device().provisioning()));
        }
        return Responses.json(200, assigned.device().device());
    }

    Response deleteDevice(String actor, String accountId, String userId, String mac) {
        return Responses.json(200, Map.of("unbound", devices.unassign(actor, accountId, userId, mac)));
    }

    Response putGreeting(String actor, String accountId, String userId, Request request) {
        byte[] audio = request.body();
        if (audio.length <= GreetingService.MAX_BYTES) {
            requireType(request, WAV_TYPES, "audio/wav");
        }
        Greeting greeting = greetings.set(actor, accountId, userId, audio);
        return Responses.json(200, greetingView(greeting));
    }

    Response getGreeting(String accountId, String userId) {
        Greeting greeting = greetings.get(accountId, userId);
        return Response.of(200, "audio/wav", greeting.audio())
                .withHeader(GREETING_HEADER, greeting.custom() ? "custom" : "default")
                .withHeader("ETag", "\"" + greeting.sha256() + "\"");
    }

    Response deleteGreeting(String actor, String accountId, String userId) {
        greetings.delete(actor, accountId, userId);
        return Responses.json(200, greetingView(greetings.get(accountId, userId)));
    }

    private static Map<String, Object> greetingView(Greeting g) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("greeting", g.custom() ? "custom" : "default");
        view.put("encoding", g.info().encoding());
        view.put("sampleRate", g.info().sampleRate());
        view.put("durationMillis", g.info().durationMillis());
        view.put("bytes", g.audio().length);
        view.put("sha256", g.sha256());
        return view;
    }

    Response sendWelcomeEmail(String actor, String accountId, String userId, byte[] raw) {
        if (raw.length > 0) {
            Body.parse(raw, Set.of()).done();
        }
        return Responses.json(202, Map.of("welcomeEmail", users.sendWelcomeEmail(actor, accountId, userId)));
    }

    Response importUsers(String actor, String accountId, Request request) {
        requireType(request, CSV_TYPES, "text/csv");
        return Responses.json(200, bulk.importRows(actor, accountId,
                CsvTable.parse(request.body(), UserBulk.IMPORT_COLUMNS, "user", UserBulk.MAX_ROWS)));
    }

    /** 415 naming the expected type unless the request's Content-Type is one of {@code allowed}. */
    private static void requireType(Request request, Set<String> allowed, String expected) {
        String type = mediaType(request.header("Content-Type"));
        if (!allowed.contains(type)) {
            throw new Problem(Problem.Kind.UNSUPPORTED,
                    "Content-Type: must be " + expected + "; got " + (type.isEmpty() ? "none" : type),
                    List.of(new FieldError("Content-Type", "must be " + expected)));
        }
    }

    Response exportUsers(String accountId) {
        return Response.of(200, "text/csv; charset=utf-8", CsvTable.write(UserBulk.EXPORT_COLUMNS, bulk.exportRows(accountId)))
                .withHeader("Content-Disposition", "attachment; filename=\"users.csv\"");
    }

    private static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }
}
