package dialtone.directory;

import static dialtone.store.generated.Tables.DEVICE;

import dialtone.security.SecretBox;
import dialtone.security.Secrets;
import dialtone.core.Problem;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.DeviceRecord;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/**
 * A technician's handset swap, in one transaction: the new device takes the old one's user, label and
 * settings; the old one is retired (its MAC then answers like an unknown MAC and its credentials stop
 * working); the user's SIP password is rotated unless asked not to, since the old handset may be in a
 * stranger's hands. Repeating the same request returns the same outcome instead of a second device.
 */
public final class DeviceReplacement {

    /** The outcome: the new device, its provisioning credentials (null on a repeated request), the old device. */
    public record Outcome(Device device, Credentials provisioning, Device replaced, boolean repeated) {}

    private final Database db;
    private final Changes changes;
    private final DeviceService devices;
    private final UserService users;
    private final SecretBox secrets;

    public DeviceReplacement(Database db, Changes changes, DeviceService devices, UserService users, SecretBox secrets) {
        this.db = db;
        this.changes = changes;
        this.devices = devices;
        this.users = users;
        this.secrets = secrets;
    }

    public Outcome replace(String actor, String accountId, String oldMacText, String newMacText, String model,
                           String label, boolean keepSipPassword) {
        devices.writePendingSightings();
        try {
            return replaceInTransaction(actor, accountId, oldMacText, newMacText, model, label, keepSipPassword);
        } catch (org.jooq.exception.DataAccessException e) {
            throw DeviceRows.macConflict(e);
        }
    }

    private Outcome replaceInTransaction(String actor, String accountId, String oldMacText, String newMacText,
                                         String model, String label, boolean keepSipPassword) {
        return db.inTransaction(tx -> {
            DeviceRecord old = DeviceRows.fetchRow(tx, accountId, oldMacText);
            DeviceService.NewDevice spec = devices.validateNew(newMacText, model == null ? old.getModel() : model,
                    label == null ? old.getLabel() : label);
            if (Device.RETIRED.equals(old.getStatus())) {
                return repeated(tx, accountId, old, spec.mac());
            }
            DeviceRows.requireActive(old);
            if (spec.mac().equals(old.getMac())) {
                throw Problem.badField("mac", "the new MAC is the old device's MAC");
            }
            Credentials provisioning = DeviceRows.newProvisioningCredentials(spec.mac());
            DeviceRecord taken = takeable(tx, accountId, spec);
            DeviceRecord fresh = taken == null ? devices.insert(tx, accountId, spec, provisioning) : taken;
            fresh.setUserId(old.getUserId());
            fresh.setLabel(spec.label());
            fresh.setVars(old.getVars());
            fresh.setSipContact(null);
            fresh.store();
            String userId = old.getUserId();
            old.setUserId(null);
            old.setStatus(Device.RETIRED);
            old.setReplacedBy(fresh.getMac());
            old.setRetiredAt(OffsetDateTime.now());
            old.setProvPasswordEnc(secrets.seal(Secrets.random(DeviceRows.PROVISIONING_PASSWORD_LENGTH)));
            old.setProvPasswordNextEnc(null);
            old.store();
            boolean rotated = userId != null && !keepSipPassword;
            if (rotated) {
                users.rotateSipPassword(tx, userId);
            }
            changes.device(tx, actor, "device.replace", accountId, old.getMac(), "new=" + fresh.getMac() + " user=" + userId + " sipPasswordRotated=" + rotated);
            return new Outcome(DeviceRows.toDevice(fresh), taken == null ? provisioning : null,
                    DeviceRows.toDevice(old), false);
        });
    }

    private static Outcome repeated(DSLContext tx, String accountId, DeviceRecord old, String newMac) {
        if (!newMac.equals(old.getReplacedBy())) {
            throw Problem.conflict("mac", "the device was already replaced by " + old.getReplacedBy());
        }
        DeviceRecord fresh = DeviceRows.fetchRow(tx, accountId, newMac);
        return new Outcome(DeviceRows.toDevice(fresh), null, DeviceRows.toDevice(old), true);
    }

    /**
     * The unbound active device of the account with that MAC that has never fetched its files (it keeps the
     * credentials it was created with: replacing never re-keys an existing device), or null when there is no
     * device with that MAC; anything else is a conflict.
     */
    private static DeviceRecord takeable(DSLContext tx, String accountId, DeviceService.NewDevice spec) {
        DeviceRecord existing = tx.selectFrom(DEVICE).where(DEVICE.MAC.eq(spec.mac())).forUpdate().fetchOne();
        if (existing == null) {
            return null;
        }
        if (!existing.getAccountId().equals(accountId)) {
            throw Problem.conflict("mac", DeviceRows.MAC_TAKEN);
        }
        if (existing.getUserId() != null || !Device.ACTIVE.equals(existing.getStatus())) {
            throw Problem.conflict("mac", "the device with this MAC is bound or retired; unbind or reactivate it first");
        }
        if (existing.getLastSeenAt() != null) {
            throw Problem.conflict("mac", "a device with this MAC has already fetched its files; replace onto a new "
                    + "MAC or onto a device that never has");
        }
        existing.setModel(spec.model());
        existing.setFamily(spec.family());
        return existing;
    }

    /** Brings a retired device back into service, unbound, with new provisioning credentials. */
    public CreatedDevice reactivate(String actor, String accountId, String macText) {
        return db.inTransaction(tx -> {
            DeviceRecord row = DeviceRows.fetchRow(tx, accountId, macText);
            if (Device.ACTIVE.equals(row.getStatus())) {
                throw Problem.conflict("mac", "the device is already active");
            }
            Credentials provisioning = DeviceRows.newProvisioningCredentials(row.getMac());
            row.setStatus(Device.ACTIVE);
            row.setReplacedBy(null);
            row.setRetiredAt(null);
            row.setProvPasswordEnc(secrets.seal(provisioning.password()));
            row.setProvPasswordNextEnc(null);
            row.setUserId(null);
            row.store();
            changes.device(tx, actor, "device.reactivate", accountId, row.getMac(), null);
            return new CreatedDevice(DeviceRows.toDevice(row), provisioning);
        });
    }
}
