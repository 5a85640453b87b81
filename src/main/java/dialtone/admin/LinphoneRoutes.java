package dialtone.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.core.Json;
import dialtone.core.Problem;
import dialtone.directory.Credentials;
import dialtone.directory.Device;
import dialtone.directory.DeviceService;
import dialtone.server.Response;
import dialtone.server.Responses;
import dialtone.server.Router;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an installer types or scans into Linphone: the remote provisioning URL with the device's credentials,
 * and its QR code. Secrets are shown only by the response that created them, so each call issues a new
 * (next) provisioning password; the one the app already holds keeps working until the app uses the new one.
 */
final class LinphoneRoutes implements RouteModule {

    static final String FAMILY = "linphone";

    private final Access access;
    private final DeviceService devices;
    private final String phonePublicUrl;

    /** {@code phonePublicUrl} is {@code phone.public-url}; empty when unset. */
    LinphoneRoutes(Access access, DeviceService devices, String phonePublicUrl) {
        this.access = access;
        this.devices = devices;
        this.phonePublicUrl = phonePublicUrl;
    }

    @Override
    public void register(Router<Call> router) {
        router.add("POST", "/accounts/{accountId}/devices/{mac}/linphone-provisioning", this::issue);
    }

    private Response issue(Call r, Map<String, String> p) {
        String accountId = access.adminAccount(r, p).id();
        Device device = devices.find(accountId, p.get("mac")).orElseThrow(() -> Problem.notFound("device " + p.get("mac")));
        if (!FAMILY.equals(device.family())) {
            throw Problem.conflict("mac", "the device is a " + device.family() + " device, not a Linphone app");
        }
        if (phonePublicUrl.isEmpty()) {
            throw Problem.conflict("phone.public-url", "is not set: Dialtone cannot tell the address the app will reach");
        }
        Credentials credentials = devices.rotateProvisioningPassword(r.actor(), accountId, device.mac());
        int scheme = phonePublicUrl.indexOf("://") + 3;
        String url = phonePublicUrl.substring(0, scheme) + enc(credentials.username()) + ":" + enc(credentials.password())
                + "@" + phonePublicUrl.substring(scheme) + "/linphone/" + device.mac() + ".xml";
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("mac", device.mac());
        body.put("url", url);
        body.put("qrCode", QrCode.pngDataUri(url));
        return Responses.json(200, body);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
