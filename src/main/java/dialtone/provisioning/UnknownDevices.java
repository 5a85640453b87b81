package dialtone.provisioning;

import dialtone.directory.DiscoveredDevice;
import dialtone.directory.DiscoveredDeviceService;
import dialtone.server.Request;
import dialtone.templates.Family;
import dialtone.templates.PathMatch;
import dialtone.templates.PhoneModel;
import java.util.List;

/**
 * Turns a request for an unknown MAC into a discovered-device sighting. The family is the one whose
 * User-Agent pattern the request matches (or the only family whose path it matched); model and
 * firmware are the User-Agent's claims.
 */
final class UnknownDevices {

    private final DiscoveredDeviceService discovered;

    UnknownDevices(DiscoveredDeviceService discovered) {
        this.discovered = discovered;
    }

    void sighted(Request request, String mac, List<PathMatch> matches) {
        String userAgent = request.header("User-Agent");
        Family family = null;
        Family.UserAgentInfo ua = null;
        for (PathMatch match : matches) {
            Family.UserAgentInfo parsed = match.family().parseUserAgent(userAgent);
            if (parsed != null) {
                family = match.family();
                ua = parsed;
                break;
            }
        }
        if (family == null && matches.stream().map(m -> m.family().id()).distinct().count() == 1) {
            family = matches.get(0).family();
        }
        String model = family == null || ua == null ? null
                : family.modelNamed(ua.model()).map(PhoneModel::id).orElse(null);
        discovered.record(new DiscoveredDevice(mac, family == null ? null : family.id(), model,
                ua == null ? null : ua.model(), ua == null ? null : ua.firmware(), userAgent,
                request.clientAddress().getHostAddress(), null, null, 1));
    }
}
