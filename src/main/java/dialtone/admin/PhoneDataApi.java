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
import dialtone.provisioning.PhoneUploads;
import dialtone.core.Problem;
import dialtone.server.Response;
import dialtone.server.Responses;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The admin routes about what phones see and send: custom template variables, phone uploads and
 * discovered (unknown) devices. Registered in {@link AdminApi}'s constructor with the other routes.
 */
final class PhoneDataApi {

    private final VarsService vars;
    private final PhoneUploads uploads;
    private final DiscoveredDeviceService discovered;
    private final DeviceService devices;
    private final BiFunction<AdminApi.Call, Map<String, String>, Account> account;

    PhoneDataApi(VarsService vars, PhoneUploads uploads, DiscoveredDeviceService discovered, DeviceService devices,
                 BiFunction<AdminApi.Call, Map<String, String>, Account> account) {
        this.vars = vars;
        this.uploads = uploads;
        this.discovered = discovered;
        this.devices = devices;
        this.account = account;
    }

    Response accountVars(AdminApi.Call r, Map<String, String> p) {
        return Responses.json(200, Map.of("vars", vars.ofAccount(account.apply(r, p).id())));
    }

    Response replaceAccountVars(AdminApi.Call r, Map<String, String> p) {
        String accountId = account.apply(r, p).id();
        AdminApi.requireAdmin(r);
        Map<String, String> values = readVars(r);
        return Responses.json(200, Map.of("vars", vars.replaceForAccount(r.caller().actor(), accountId, values)));
    }

    Response deviceVars(AdminApi.Call r, Map<String, String> p) {
        return Responses.json(200, Map.of("vars", vars.ofDevice(account.apply(r, p).id(), p.get("mac"))));
    }

    Response replaceDeviceVars(AdminApi.Call r, Map<String, String> p) {
        String accountId = account.apply(r, p).id();
        AdminApi.requireAdmin(r);
        Map<String, String> values = readVars(r);
        return Responses.json(200, Map.of("vars",
                vars.replaceForDevice(r.caller().actor(), accountId, p.get("mac"), values)));
    }

    /** Body {@code {"vars": {...}}}: the whole set, replacing the previous one. */
    private static Map<String, String> readVars(AdminApi.Call r) {
        return TemplateVars.validate(Body.parse(r.body(), java.util.Set.of("vars")).raw("vars"));
    }

    Response listUploads(AdminApi.Call r, Map<String, String> p) {
        Device device = device(r, p);
        return Responses.json(200, Map.of("items", uploads.list(device.mac(), device.createdAt().toInstant())));
    }

    /** An upload's bytes, exactly as the phone sent them; never rendered, so served as an attachment. */
    Response downloadUpload(AdminApi.Call r, Map<String, String> p) {
        Device device = device(r, p);
        AdminApi.requireAdmin(r);
        byte[] content = uploads.read(device.mac(), p.get("name"), device.createdAt().toInstant())
                .orElseThrow(() -> Problem.notFound("upload " + p.get("name")));
        return Response.of(200, "application/octet-stream", content)
                .withHeader("Content-Disposition", "attachment; filename=\"" + p.get("name") + "\"");
    }

    private Device device(AdminApi.Call r, Map<String, String> p) {
        String accountId = account.apply(r, p).id();
        return devices.find(accountId, p.get("mac")).orElseThrow(() -> Problem.notFound("device " + p.get("mac")));
    }

    /** Operators see every discovered device; account tokens see none (the devices belong to no account). */
    Response listDiscovered(AdminApi.Call r, Map<String, String> p) {
        if (!r.caller().isOperator()) {
            return Responses.json(200, Views.page(new Page<>(List.of(), null)));
        }
        return Responses.json(200, Views.page(discovered.list(r.queryParam("after"), AdminApi.limit(r))));
    }

    /** {@code POST /discovered-devices/{mac}} with {@code accountId} (and optional model, label): adopts it. */
    Response adopt(AdminApi.Call r, Map<String, String> p) {
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
        Account target = account.apply(r, Map.of("accountId", accountId));
        CreatedDevice created = discovered.adopt(devices, r.caller().actor(), target.id(), p.get("mac"), model, label);
        return Responses.json(201, Views.with(created.device(), "provisioning", created.provisioning()));
    }
}
