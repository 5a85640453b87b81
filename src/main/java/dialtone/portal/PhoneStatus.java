package dialtone.portal;

import dialtone.directory.Device;
import java.util.Map;

/**
 * What the portal needs of the phone side, handed in by Dialtone (the portal imports no other face): whether a
 * device has the files it would get now, what those files say (secrets masked), and telling it to fetch them.
 */
public interface PhoneStatus {

    /** True or false once the device has fetched its own file; null before that. */
    Boolean inSync(Device device);

    /** The device's own files as it would get them now, file name → text, every secret masked; empty if not active. */
    Map<String, String> renderedConfig(Device device);

    /** Sends the device a resync NOTIFY and waits for its answer; returns the outcome in words. */
    String resync(String actor, String accountId, String mac);
}
