package dialtone.admin;

import dialtone.directory.Address;
import dialtone.directory.DeviceService;
import dialtone.directory.E911Service;
import dialtone.directory.Greeting;
import dialtone.directory.GreetingService;
import dialtone.core.Problem;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The add-user workflow's steps after the details: the E911 address, the device and the greeting. */
final class UserStepRoutes implements RouteModule {

    private static final Set<String> WAV_TYPES = Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave");
    static final String GREETING_HEADER = "X-Greeting";

    private final Access access;
    private final E911Service e911;
    private final DeviceService devices;
    private final GreetingService greetings;

    UserStepRoutes(Access access, E911Service e911, DeviceService devices, GreetingService greetings) {
        this.access = access;
        this.e911 = e911;
        this.devices = devices;
        this.greetings = greetings;
    }

    @Override
    public void register(Router<Call> router) {
        String user = "/accounts/{accountId}/users/{userId}";
        router.add("GET", user + "/e911", (r, p) -> Responses.json(200,
                        e911.get(access.account(r, p).id(), p.get("userId"))))
                .add("PUT", user + "/e911", this::putE911)
                .add("PUT", user + "/device", this::putDevice)
                .add("DELETE", user + "/device", Set.of("mac"), (r, p) -> Responses.json(200, Map.of("unbound", devices.unassign(
                        r.actor(), access.account(r, p).id(), p.get("userId"), r.queryParam("mac")))))
                .add("PUT", user + "/greeting", this::putGreeting)
                .add("GET", user + "/greeting", this::getGreeting)
                .add("DELETE", user + "/greeting", (r, p) -> {
                    String accountId = access.adminAccount(r, p).id();
                    greetings.delete(r.actor(), accountId, p.get("userId"));
                    return Responses.json(200, greetingView(greetings.get(accountId, p.get("userId"))));
                });
    }

    /** Requests whose bodies may be larger than {@code server.max-body-bytes}: uploads. */
    static boolean isUpload(String method, String path) {
        return method.equals("PUT") && path.endsWith("/greeting") || method.equals("POST") && path.endsWith(":import");
    }

    private Response putE911(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        Body body = Body.parse(r.body(), Set.of("address", "confirmed"));
        boolean changeAddress = body.has("address");
        Address address = AccountRoutes.address(body.object("address", AccountRoutes.ADDRESS_FIELDS));
        Boolean confirmed = body.bool("confirmed");
        body.done();
        return Responses.json(200, e911.change(r.actor(), accountId, p.get("userId"),
                new E911Service.Change(changeAddress, address, confirmed)));
    }

    /** PUT device: 201 with provisioning credentials when a new device was created, else 200. */
    private Response putDevice(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Body body = Body.parse(r.body(), Set.of("mac", "model", "label", "move"));
        String mac = body.text("mac");
        String model = body.text("model");
        String label = body.text("label");
        Boolean move = body.bool("move");
        body.done();
        if ((model != null || label != null) && Access.isTechnician(r)) {
            throw Problem.forbidden("a technician token may bind devices but not add them");
        }
        DeviceService.Assigned assigned = devices.assign(r.actor(), accountId, p.get("userId"), mac, model, label,
                Boolean.TRUE.equals(move), Access.isTechnician(r));
        if (assigned.created()) {
            return Responses.json(201, Views.with(assigned.device().device(), "provisioning",
                    assigned.device().provisioning()));
        }
        return Responses.json(200, assigned.device().device());
    }

    private Response putGreeting(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        byte[] audio = r.body();
        if (audio.length <= GreetingService.MAX_BYTES) {
            r.requireContentType(WAV_TYPES, "audio/wav");
        }
        return Responses.json(200, greetingView(greetings.set(r.actor(), accountId, p.get("userId"), audio)));
    }

    private Response getGreeting(Call r, Map<String, String> p) {
        Greeting greeting = greetings.get(access.account(r, p).id(), p.get("userId"));
        return Response.of(200, "audio/wav", greeting.audio())
                .withHeader(GREETING_HEADER, greeting.custom() ? "custom" : "default")
                .withHeader("ETag", "\"" + greeting.sha256() + "\"");
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
}
