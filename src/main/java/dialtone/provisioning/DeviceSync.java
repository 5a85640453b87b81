package dialtone.provisioning;

import dialtone.directory.Device;
import dialtone.templates.LiveTemplates;

/**
 * Whether a device is in sync: the file it last fetched, rendered now, has the ETag it was served.
 * False after any change to its user, account, variables or templates that alters that file.
 */
public final class DeviceSync {

    private final LiveTemplates templates;
    private final PhoneDirectory directory;
    private final DeviceFiles files;

    DeviceSync(LiveTemplates templates, PhoneDirectory directory, DeviceFiles files) {
        this.templates = templates;
        this.directory = directory;
        this.files = files;
    }

    /** True or false once the device has fetched its own file; null before that (nothing to compare). */
    public Boolean inSync(Device device) {
        Device.LastSeen seen = device.lastSeen();
        if (seen == null || seen.etag() == null || seen.file() == null || seen.baseUrl() == null) {
            return null;
        }
        return directory.findActive(device.mac())
                .flatMap(record -> files.currentEtag(templates.current(), record, seen.file(), seen.baseUrl()))
                .map(seen.etag()::equals)
                .orElse(null);
    }
}
