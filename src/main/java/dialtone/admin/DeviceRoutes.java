package dialtone.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.core.Json;
import dialtone.core.Problem;
import dialtone.directory.CreatedDevice;
import dialtone.directory.Device;
import dialtone.directory.DeviceBulk;
import dialtone.directory.DeviceReplacement;
import dialtone.directory.DeviceService;
import dialtone.directory.Directory;
import dialtone.directory.Page;
import dialtone.directory.UserService;
import dialtone.provisioning.PhoneSide;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.Set;

/**
 * Devices: create, list with {@code inSync}, change, delete, bind and unbind, replace a handset, reactivate,
 * rotate the provisioning password, resync, CSV import and export.
 */
final class DeviceRoutes implements RouteModule {

    private final Access access;
    private final DeviceService devices;
    private final DeviceReplacement replacement;
    private final DeviceBulk bulk;
    private final UserService users;
    private final PhoneSide phones;

    DeviceRoutes(Access access, Directory directory, PhoneSide phones) {
        this.access = access;
        this.devices = directory.devices();
        this.replacement = directory.replacement();
        this.bulk = directory.deviceBulk();
        this.users = directory.users();
        this.phones = phones;
    }

    @Override
    public void register(Router<Call> router) {
        String devices = "/accounts/{accountId}/devices";
        String device = devices + "/{mac}";
        router.add("POST", devices, this::create)
                .add("GET", devices, PAGING, this::list)
                .add("GET", device, (r, p) -> {
                    Device found = this.devices.find(access.account(r, p).id(), p.get("mac"))
                            .orElseThrow(() -> Problem.notFound("device " + p.get("mac")));
                    return Responses.json(200, status(found, userNames(found.accountId(), List.of(found))));
                })
                .add("DELETE", device, this::delete)
                .add("PUT", device + "/user", this::bind)
                .add("DELETE", device + "/user", (r, p) -> Responses.json(200,
                        this.devices.unbind(r.actor(), access.account(r, p).id(), p.get("mac"))))
                .add("POST", devices + ":import", (r, p) -> Responses.json(200,
                        bulk.importRows(r.actor(), access.adminAccount(r, p).id(), CsvTable.parse(r.body(),
                                Set.copyOf(DeviceBulk.COLUMNS), "device", DeviceBulk.MAX_ROWS))))
                .add("GET", devices + ":export", (r, p) -> Response.of(200, "text/csv; charset=utf-8",
                        CsvTable.write(DeviceBulk.EXPORT_COLUMNS, bulk.exportRows(access.adminAccount(r, p).id()))))
                .add("POST", device + "/replace", this::replace)
                .add("POST", device + "/reactivate", this::reactivate)
                .add("PATCH", device, this::update)
                .add("POST", device + "/resync", (r, p) -> Responses.json(200,
                        phones.resync(r.actor(), access.account(r, p).id(), p.get("mac"))))
                .add("POST", device + "/provisioning-password", (r, p) -> Responses.json(200,
                        this.devices.rotateProvisioningPassword(r.actor(), access.adminAccount(r, p).id(),
                                p.get("mac"))));
    }

    private Response create(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Access.requireAdmin(r);
        Body body = Body.parse(r.body(), Set.of("mac", "model", "label"));
        String mac = body.text("mac");
        String model = body.text("model");
        String label = body.text("label");
        body.done();
        CreatedDevice created = devices.create(r.actor(), accountId, mac, model, label);
        return Responses.json(201, Views.with(created.device(), "provisioning", created.provisioning()));
    }

    private Response delete(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Access.requireAdmin(r);
        devices.delete(r.actor(), accountId, p.get("mac"));
        return Response.empty(204);
    }

    private Response replace(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Body body = Body.parse(r.body(), Set.of("mac", "model", "label", "keepSipPassword"));
        String mac = body.text("mac");
        String model = body.text("model");
        String label = body.text("label");
        Boolean keep = body.bool("keepSipPassword");
        body.done();
        DeviceReplacement.Outcome outcome = replacement.replace(r.actor(), accountId, p.get("mac"), mac, model,
                label, Boolean.TRUE.equals(keep));
        ObjectNode json = outcome.provisioning() == null ? Json.MAPPER.valueToTree(outcome.device())
                : Views.with(outcome.device(), "provisioning", outcome.provisioning());
        json.set("replaced", Json.MAPPER.valueToTree(outcome.replaced()));
        return Responses.json(outcome.repeated() ? 200 : 201, json);
    }

    private Response reactivate(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Access.requireAdmin(r);
        CreatedDevice created = replacement.reactivate(r.actor(), accountId, p.get("mac"));
        return Responses.json(200, Views.with(created.device(), "provisioning", created.provisioning()));
    }

    private Response update(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Access.requireAdmin(r);
        Body body = Body.parse(r.body(), Set.of("label", "sipContact"));
        String label = body.text("label");
        String sipContact = body.text("sipContact");
        body.done();
        return Responses.json(200, devices.update(r.actor(), accountId, p.get("mac"), body.present(), label,
                sipContact));
    }

    private Response list(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Page<Device> page = devices.list(accountId, r.queryParam("after"), r.limit());
        Map<String, String> names = userNames(accountId, page.items());
        return Responses.json(200, Views.page(page, device -> status(device, names)));
    }

    private Map<String, String> userNames(String accountId, List<Device> page) {
        return users.displayNames(accountId, page.stream().map(Device::userId).filter(Objects::nonNull)
                .collect(Collectors.toSet()));
    }

    /** A device with its user's name and {@code inSync}: whether what it last fetched equals what it would get now. */
    private ObjectNode status(Device device, Map<String, String> userNames) {
        ObjectNode node = Json.MAPPER.valueToTree(device);
        node.put("userName", device.userId() == null ? null : userNames.get(device.userId()));
        Boolean inSync = phones.inSync(device);
        if (inSync == null) {
            node.putNull("inSync");
        } else {
            node.put("inSync", inSync);
        }
        return node;
    }

    private Response bind(Call r, Map<String, String> p) {
        String accountId = access.account(r, p).id();
        Body body = Body.parse(r.body(), Set.of("userId"));
        String userId = body.text("userId");
        body.done();
        return Responses.json(200, devices.bind(r.actor(), accountId, p.get("mac"), userId,
                Access.isTechnician(r)));
    }
}
