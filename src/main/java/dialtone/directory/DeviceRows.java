package dialtone.directory;

import static dialtone.store.generated.Tables.DEVICE;

import dialtone.core.Mac;
import dialtone.core.Problem;
import dialtone.security.Secrets;
import dialtone.store.Constraints;
import dialtone.store.generated.tables.records.DeviceRecord;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** The rules every writer of device rows shares: fetch for update, status checks, fresh credentials, conflicts. */
final class DeviceRows {

    static final int PROVISIONING_PASSWORD_LENGTH = 32;
    /**
     * A MAC is registered once across all accounts (a phone fetches one configuration); the answer is the same
     * whichever account holds it, so it does not say which.
     */
    static final String MAC_TAKEN = "a device with this MAC already exists (MACs are unique across all accounts)";

    private DeviceRows() {}

    static Credentials newProvisioningCredentials(String mac) {
        return new Credentials(mac, Secrets.random(PROVISIONING_PASSWORD_LENGTH));
    }

    static RuntimeException macConflict(DataAccessException e) {
        if (Constraints.uniqueViolation(e).isPresent()) {
            return Problem.conflict("mac", MAC_TAKEN);
        }
        return e;
    }

    static void requireActive(DeviceRecord row) {
        if (!Device.ACTIVE.equals(row.getStatus())) {
            throw Problem.conflict("mac", "the device is " + row.getStatus() + "; reactivate it first");
        }
    }

    static DeviceRecord fetchRow(DSLContext tx, String accountId, String macText) {
        String mac = Mac.normalise(macText).orElseThrow(() -> Problem.notFound("device " + macText));
        DeviceRecord row = tx.selectFrom(DEVICE).where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.MAC.eq(mac))
                .forUpdate().fetchOne();
        if (row == null) {
            throw Problem.notFound("device " + mac);
        }
        return row;
    }

    static Device toDevice(DeviceRecord r) {
        Device.LastSeen lastSeen = r.getLastSeenAt() == null ? null : new Device.LastSeen(r.getLastSeenAt(),
                r.getLastSeenIp(), r.getLastUserAgent(), r.getLastModel(), r.getLastFirmware(), r.getLastFile(),
                r.getLastEtag(), r.getLastBaseUrl());
        return new Device(r.getId(), r.getAccountId(), r.getMac(), r.getFamily(), r.getModel(), r.getLabel(),
                r.getUserId(), r.getProvUsername(), r.getStatus(), r.getReplacedBy(), r.getSipContact(), lastSeen,
                r.getCreatedAt());
    }
}
