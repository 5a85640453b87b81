package dialtone.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.directory.Account;
import dialtone.directory.CreatedDevice;
import dialtone.directory.Device;
import dialtone.directory.DeviceReplacement;
import dialtone.directory.DeviceService;
import dialtone.provisioning.DeviceSync;
import dialtone.provisioning.PhoneUploads;
import dialtone.core.Json;
import dialtone.server.Response;
import dialtone.server.Responses;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The admin routes' handlers for devices: create, change, delete, bind, replace, reactivate, and the
 * device view with {@code inSync}. Registered in {@link AdminApi}'s constructor with the other routes.
 */
final class DeviceApi {

    private final DeviceService devices;
    private final DeviceReplacement replacement;
    private final DeviceSync sync;
    private final PhoneUploads uploads;
    private final BiFunction<AdminApi.Call, Map<String, String>, Account> account;

    DeviceApi(DeviceService devices, DeviceReplacement replacement, DeviceSync sync, PhoneUploads uploads,
              BiFunction<AdminApi.Call, Map<String, String>, Account> account) {
        this.uploads = uploads;
        this.devices = devices;
        this.replacement = replacement;
        this.sync = sync;
        this.account = account;
    }

    Response create(AdminApi.Call r, Map<String, String> p) {
        String accountId = account.apply(r, p).id();
        AdminApi.requireAdmin(r);
        Body body = Body.parse(r.body(), Set.of("mac", "model", "label"));
        String mac = body.text("mac");
        String model = body.text("model");
        String label = body.text("label");
        body.done();
        CreatedDevice created = devices.create(r.caller().actor(), accountId, mac, model, label);
        return Responses.json(201, Views.with(created.device(), "provisioning", created.provisioning()));
    }

    Response delete(AdminApi.Call r, Map<String, String> p) {
        String accountId = account.apply(r, p).id();
        AdminApi.requireAdmin(r);
        String mac = devices.find(accountId, p.get("mac")).map(Device::mac).orElse(null);
        devices.delete(r.caller().actor(), accountId, p.get("mac"));
        uploads.deleteAll(mac);
        return Response.empty(204);
    }

    Response replace(AdminApi.Call r, Map<String, String> p) {
        String accountId = account.apply(r, p).id();
        Body body = Body.parse(r.body(), Set.of("mac", "model", "label", "keepSipPassword"));
        String mac = body.text("mac");
        String model = body.text("model");
        String label = body.text("label");
        Boolean keep = body.bool("keepSipPassword");
        body.done();
        DeviceReplacement.Outcome outcome = replacement.replace(r.caller().actor(), accountId, p.get("mac"), mac, model,
                label, Boolean.TRUE.equals(keep));
        ObjectNode json = outcome.provisioning() == null ? Json.MAPPER.valueToTree(outcome.device())
                : Views.with(outcome.device(), "provisioning", outcome.provisioning());
        json.set("replaced", Json.MAPPER.valueToTree(outcome.replaced()));
        return Responses.json(outcome.repeated() ? 200 : 201, json);
    }

    Response reactivate(AdminApi.Call r, Map<String, String> p) {
        String accountId = account.apply(r, p).id();
        AdminApi.requireAdmin(r);
        CreatedDevice created = replacement.reactivate(r.caller().actor(), accountId, p.get("mac"));
        return Responses.json(200, Views.with(created.device(), "provisioning", created.provisioning()));
    }

    Response update(AdminApi.Call r, Map<String, String> p) {
        String accountId = account.apply(r, p).id();
        AdminApi.requireAdmin(r);
        Body body = Body.parse(r.body(), Set.of("label", "sipContact"));
        String label = body.text("label");
        String sipContact = body.text("sipContact");
        body.done();
        return Responses.json(200, devices.update(r.caller().actor(), accountId, p.get("mac"), body.present(), label,
                sipContact));
    }

    /** A device with {@code inSync}: whether what it last fetched equals what it would get now. */
    ObjectNode status(Device device) {
        ObjectNode node = Json.MAPPER.valueToTree(device);
        Boolean inSync = sync.inSync(device);
        if (inSync == null) {
            node.putNull("inSync");
        } else {
            node.put("inSync", inSync);
        }
        return node;
    }

    Response bind(AdminApi.Call r, Map<String, String> p) {
        String accountId = account.apply(r, p).id();
        Body body = Body.parse(r.body(), Set.of("userId"));
        String userId = body.text("userId");
        body.done();
        return Responses.json(200, devices.bind(r.caller().actor(), accountId, p.get("mac"), userId));
    }
}
