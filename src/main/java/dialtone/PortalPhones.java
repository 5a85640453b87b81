package dialtone;

import dialtone.directory.Device;
import dialtone.portal.PhoneStatus;
import dialtone.provisioning.PhoneSide;
import java.util.Map;

/** The portal's view of the phone side: the two faces never import each other, so they meet here. */
final class PortalPhones implements PhoneStatus {

    private final PhoneSide phones;

    PortalPhones(PhoneSide phones) {
        this.phones = phones;
    }

    @Override
    public Boolean inSync(Device device) {
        return phones.inSync(device);
    }

    @Override
    public Map<String, String> renderedConfig(Device device) {
        return phones.maskedConfig(device);
    }

    /** The portal answers the page once the phone has answered: its own workers wait, not the API's. */
    @Override
    public String resync(String actor, String accountId, String mac) {
        var result = phones.resync(actor, accountId, mac).join();
        return result.timedOut() ? "The phone did not answer the resync request (sent to " + result.target() + ")."
                : "The phone answered " + result.status() + " " + result.reason() + " (" + result.target() + ").";
    }
}
