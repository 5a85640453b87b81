package dialtone.admin;

import dialtone.directory.Account;
import dialtone.directory.CreatedDevice;
import dialtone.directory.Device;
import dialtone.directory.DeviceService;
import dialtone.directory.DiscoveredDeviceService;
import dialtone.core.Mac;
import dialtone.directory.Page;
import dialtone.directory.TemplateVars;
import dialtone.directory.VarsService;
import dialtone.directory.Directory;
import dialtone.provisioning.PhoneSide;
import dialtone.core.Problem;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import java.util.List;
import java.util.Map;

/**
 * What phones see and send: custom template variables, phone uploads and discovered (unknown) devices.
 */
final class PhoneDataRoutes implements RouteModule {

    private final Access access;
    private final VarsService vars;
    private final PhoneSide phones;
    private final DiscoveredDeviceService discovered;
    private final DeviceService devices;

    PhoneDataRoutes(Access access, Directory directory, PhoneSide phones) {
        this.access = access;
        this.vars = directory.vars();
        this.phones = phones;
        this.discovered = directory.discovered();
        this.devices = directory.devices();
    }

    @Override
    public void register(Router<Call> router) {
        String account = "/accounts/{accountId}";
        router.add("GET", account + "/vars", this::accountVars)
                .add("PUT", account + "/vars", this::replaceAccountVars)
                .add("GET", account + "/devices/{mac}/vars", this::deviceVars)
                .add("PUT", account + "/devices/{mac}/vars", this::replaceDeviceVars)
                .add("GET", account + "/devices/{mac}/uploads", this::listUploads)
                .add("GET", account + "/devices/{mac}/uploads/{name}", this::downloadUpload)
                .add("GET", "/discovered-devices", PAGING, this::listDiscovered)
                .add("POST", "/discovered-devices/{mac}", this::adopt);
    }

    private Response accountVars(Call r, Map<String, String> p) {
        return Responses.json(200, Map.of("vars", vars.ofAccount(access.adminAccount(r, p).id())));
    }

    private Response replaceAccountVars(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Access.requireAdmin(r);
        Map<String, String> values = readVars(r);
        return Responses.json(200, Map.of("vars", vars.replaceForAccount(r.actor(), accountId, values)));
    }

    private Response deviceVars(Call r, Map<String, String> p) {
        return Responses.json(200, Map.of("vars", vars.ofDevice(access.adminAccount(r, p).id(), p.get("mac"))));
    }

    private Response replaceDeviceVars(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Access.requireAdmin(r);
        Map<String, String> values = readVars(r);
        return Responses.json(200, Map.of("vars",
                vars.replaceForDevice(r.actor(), accountId, p.get("mac"), values)));
    }

    /** Body {@code {"vars": {...}}}: the whole set, replacing the previous one. */
    private static Map<String, String> readVars(Call r) {
        return TemplateVars.validate(Body.parse(r.body(), java.util.Set.of("vars")).raw("vars"));
    }

    private Response listUploads(Call r, Map<String, String> p) {
        Device device = device(r, p);
        return Responses.json(200, Map.of("items", phones.uploads(device.mac(), device.createdAt().toInstant())));
    }

    /** An upload's bytes, exactly as the phone sent them; never rendered, so served as an attachment. */
    private Response downloadUpload(Call r, Map<String, String> p) {
        Device device = device(r, p);
        Access.requireAdmin(r);
        byte[] content = phones.upload(device.mac(), p.get("name"), device.createdAt().toInstant())
                .orElseThrow(() -> Problem.notFound("upload " + p.get("name")));
        return Response.of(200, "application/octet-stream", content)
                .withHeader("Content-Disposition", "attachment; filename=\"" + p.get("name") + "\"");
    }

    private Device device(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        return devices.find(accountId, p.get("mac")).orElseThrow(() -> Problem.notFound("device " + p.get("mac")));
    }

    /** Operators see every discovered device; account tokens see none (the devices belong to no account). */
    private Response listDiscovered(Call r, Map<String, String> p) {
        if (!r.caller().isOperator()) {
            return Responses.json(200, Views.page(new Page<>(List.of(), null)));
        }
        return Responses.json(200, Views.page(discovered.list(r.queryParam("after"), r.limit())));
    }

    /** {@code POST /discovered-devices/{mac}} with {@code accountId} (and optional model, label): adopts it. */
    private Response adopt(Call r, Map<String, String> p) {
        if (!r.caller().isOperator() || Mac.normalise(p.get("mac")).isEmpty()) {
            throw Problem.notFound("discovered device " + p.get("mac"));
        }
        Body body = Body.parse(r.body(), java.util.Set.of("accountId", "model", "label"));
        String accountId = body.text("accountId");
        String model = body.text("model");
        String label = body.text("label");
        body.done();
        if (accountId == null || accountId.isBlank()) {
            throw Problem.badField("accountId", "is required");
        }
        Account target = access.account(r, accountId);
        CreatedDevice created = discovered.adopt(devices, r.actor(), target.id(), p.get("mac"), model, label);
        return Responses.json(201, Views.with(created.device(), "provisioning", created.provisioning()));
    }
}
