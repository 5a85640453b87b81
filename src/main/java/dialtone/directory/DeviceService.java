package dialtone.directory;

import dialtone.core.Mac;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.DEVICE;

import dialtone.security.NotifyTargets;
import dialtone.security.SecretBox;
import dialtone.security.Secrets;
import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.store.Constraints;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.DeviceRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** Devices of an account: create with provisioning credentials, bind to a user, unbind, delete. */
public final class DeviceService {

    private final Database db;
    private final Changes changes;
    private final SecretBox secrets;
    private final ModelCatalog models;

    private final LastSeenWriter lastSeen;
    private final NotifyTargets notifyTargets;

    /**
     * @param lastSeen phones' buffered last-seen records, written out before devices are read
     * @param notifyTargets the addresses a device's SIP contact may name
     */
    public DeviceService(Database db, Changes changes, SecretBox secrets, ModelCatalog models, LastSeenWriter lastSeen,
                         NotifyTargets notifyTargets) {
        this.db = db;
        this.changes = changes;
        this.secrets = secrets;
        this.models = models;
        this.lastSeen = lastSeen;
        this.notifyTargets = notifyTargets;
    }

    public CreatedDevice create(String actor, String accountId, String macText, String model, String label) {
        NewDevice spec = validateNew(macText, model, label);
        try {
            return db.inTransaction(tx -> {
                if (tx.fetchExists(DEVICE, DEVICE.MAC.eq(spec.mac()))) {
                    throw Problem.conflict("mac", DeviceRows.MAC_TAKEN);
                }
                return createUnbound(tx, actor, accountId, spec);
            });
        } catch (DataAccessException e) {
            throw DeviceRows.macConflict(e);
        }
    }

    /** A validated request for a new device: normalised MAC, known model and its family, label. */
    record NewDevice(String mac, String model, String family, String label) {}

    NewDevice validateNew(String macText, String model, String label) {
        List<FieldError> errors = new ArrayList<>();
        Optional<String> mac = Mac.normalise(macText);
        if (Rules.required(errors, "mac", macText) && mac.isEmpty()) {
            errors.add(new FieldError("mac", "must be 12 hexadecimal digits, optionally separated by ':', '-' or '.'"));
        }
        Optional<String> family = model == null ? Optional.empty() : models.familyOf(model);
        if (Rules.required(errors, "model", model) && family.isEmpty()) {
            errors.add(new FieldError("model", "is not a known model id (see GET /api/v1/models)"));
        }
        if (label != null) {
            Rules.text(errors, "label", label, 200);
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        return new NewDevice(mac.get(), model, family.get(), label);
    }

    DeviceRecord insert(DSLContext tx, String accountId, NewDevice spec, Credentials provisioning) {
        DeviceRecord row = tx.newRecord(DEVICE);
        row.setId(Ids.newId());
        row.setAccountId(accountId);
        row.setMac(spec.mac());
        row.setFamily(spec.family());
        row.setModel(spec.model());
        row.setLabel(spec.label());
        row.setProvUsername(provisioning.username());
        row.setProvPasswordEnc(secrets.seal(provisioning.password()));
        row.setStatus(Device.ACTIVE);
        row.setCreatedAt(OffsetDateTime.now());
        row.store();
        return row;
    }

    /** Creates the device already bound to {@code userId}, in the caller's transaction. */
    /** Inserts a new, unbound device with fresh provisioning credentials (shown once) and audits it. */
    CreatedDevice createUnbound(DSLContext tx, String actor, String accountId, NewDevice spec) {
        Credentials provisioning = DeviceRows.newProvisioningCredentials(spec.mac());
        DeviceRecord row = insert(tx, accountId, spec, provisioning);
        changes.device(tx, actor, "device.create", accountId, spec.mac(), "model=" + spec.model());
        return new CreatedDevice(DeviceRows.toDevice(row), provisioning);
    }

    CreatedDevice createBound(DSLContext tx, String actor, String accountId, NewDevice spec, String userId) {
        if (tx.fetchExists(DEVICE, DEVICE.MAC.eq(spec.mac()))) {
            throw Problem.conflict("mac", DeviceRows.MAC_TAKEN);
        }
        Credentials provisioning = DeviceRows.newProvisioningCredentials(spec.mac());
        DeviceRecord row = insert(tx, accountId, spec, provisioning);
        row.setUserId(userId);
        row.store();
        changes.device(tx, actor, "device.create", accountId, spec.mac(), "model=" + spec.model());
        changes.device(tx, actor, "device.bind", accountId, spec.mac(), "user=" + userId);
        return new CreatedDevice(DeviceRows.toDevice(row), provisioning);
    }

    /**
     * The device step of adding a user: binds an existing device of the account ({@code model} null) or
     * creates a new one already bound (its provisioning credentials are in the result, this once). A
     * device bound to another user is moved only when {@code move} is true.
     */
    public Assigned assign(String actor, String accountId, String userId, String macText, String model, String label,
                           boolean move, boolean firstInstall) {
        NewDevice fresh = model == null && label == null ? null : validateNew(macText, model, label);
        if (fresh == null && (macText == null || macText.isBlank())) {
            throw Problem.badField("mac", "is required");
        }
        if (firstInstall) {
            lastSeen.flush();
        }
        try {
            return db.inTransaction(tx -> {
                UserService.fetchRow(tx, accountId, userId);
                if (fresh != null) {
                    return new Assigned(createBound(tx, actor, accountId, fresh, userId), true);
                }
                String mac = Mac.normalise(macText).orElseThrow(() -> Problem.badField("mac",
                        "must be 12 hexadecimal digits, optionally separated by ':', '-' or '.'"));
                DeviceRecord row = tx.selectFrom(DEVICE).where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.MAC.eq(mac))
                        .forUpdate().fetchOne();
                if (row == null) {
                    throw Problem.badField("mac",
                            "no device with this MAC in this account; send model (and label) to add a new one");
                }
                DeviceRows.requireActive(row);
                if (firstInstall) {
                    requireFirstInstall(tx, row, userId);
                }
                String previous = row.getUserId();
                if (previous != null && !previous.equals(userId) && !move) {
                    throw Problem.conflict("mac", "the device is bound to another user; send move: true to move it");
                }
                row.setUserId(userId);
                row.store();
                changes.device(tx, actor, previous == null || previous.equals(userId) ? "device.bind"
                        : "device.move", accountId, mac, "user=" + userId + (previous == null ? "" : ", from=" + previous));
                return new Assigned(new CreatedDevice(DeviceRows.toDevice(row), null), false);
            });
        } catch (DataAccessException e) {
            throw DeviceRows.macConflict(e);
        }
    }

    /** The outcome of {@link #assign}: {@code created} tells whether the credentials are new. */
    public record Assigned(CreatedDevice device, boolean created) {}

    /** Unbinds the user's devices (only {@code macText} when given); returns the devices unbound. */
    public List<Device> unassign(String actor, String accountId, String userId, String macText) {
        return db.inTransaction(tx -> {
            UserService.fetchRow(tx, accountId, userId);
            var query = tx.selectFrom(DEVICE).where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.USER_ID.eq(userId));
            if (macText != null) {
                String mac = Mac.normalise(macText).orElseThrow(() -> Problem.notFound("device " + macText));
                query = query.and(DEVICE.MAC.eq(mac));
            }
            List<DeviceRecord> rows = query.orderBy(DEVICE.MAC).forUpdate().fetch();
            if (macText != null && rows.isEmpty()) {
                throw Problem.notFound("device " + macText + " of this user");
            }
            List<Device> unbound = new ArrayList<>();
            for (DeviceRecord row : rows) {
                row.setUserId(null);
                row.store();
                changes.device(tx, actor, "device.unbind", accountId, row.getMac(), "user=" + userId);
                unbound.add(DeviceRows.toDevice(row));
            }
            return unbound;
        });
    }

    public Optional<Device> find(String accountId, String macText) {
        lastSeen.flush();
        return Mac.normalise(macText).flatMap(mac -> db.dsl().selectFrom(DEVICE)
                .where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.MAC.eq(mac)).fetchOptional())
                .map(DeviceRows::toDevice);
    }

    public Page<Device> list(String accountId, String after, int limit) {
        lastSeen.flush();
        List<Device> rows = db.dsl().selectFrom(DEVICE)
                .where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.MAC.gt(after == null ? "" : after))
                .orderBy(DEVICE.MAC).limit(limit + 1).fetch(DeviceRows::toDevice);
        return Page.of(rows, limit, Device::mac);
    }

    /** The account's active devices bound to nobody (at most {@code limit}), by MAC: what a new user may get. */
    public List<Device> unassigned(String accountId, int limit) {
        lastSeen.flush();
        return db.dsl().selectFrom(DEVICE).where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.USER_ID.isNull())
                .and(DEVICE.STATUS.eq(Device.ACTIVE)).orderBy(DEVICE.MAC).limit(limit).fetch(DeviceRows::toDevice);
    }

    /** The devices bound to the user, by MAC. */
    public List<Device> ofUser(String accountId, String userId) {
        lastSeen.flush();
        return db.dsl().selectFrom(DEVICE).where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.USER_ID.eq(userId))
                .orderBy(DEVICE.MAC).fetch(DeviceRows::toDevice);
    }

    public void delete(String actor, String accountId, String macText) {
        db.inTransaction(tx -> {
            DeviceRecord row = DeviceRows.fetchRow(tx, accountId, macText);
            row.delete();
            changes.record(tx, actor, "device.delete", new DirectoryEvent.DeviceDeleted(accountId, row.getMac()), "device", row.getMac(), null);
            return null;
        });
    }

    /** Changes a device's label and SIP contact (where resync NOTIFYs go); only the fields given. */
    public Device update(String actor, String accountId, String macText, java.util.Set<String> present, String label,
                         String sipContact) {
        List<FieldError> errors = new ArrayList<>();
        if (present.contains("label") && label != null) {
            Rules.text(errors, "label", label, 200);
        }
        // One reason for every refusal (not a URI, a name, a forbidden or unlisted address): nothing to probe with.
        if (present.contains("sipContact") && sipContact != null && (!Rules.isSipUri(sipContact)
                || SipTarget.parse(sipContact).flatMap(t -> notifyTargets.address(t.host())).isEmpty())) {
            errors.add(new FieldError("sipContact", "must be a SIP URI whose host is a phone's IP address in the"
                    + " networks the operator allows for NOTIFY (resync.allowed-networks), such as sip:ada@10.0.0.10:5060"));
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        return db.inTransaction(tx -> {
            DeviceRecord row = DeviceRows.fetchRow(tx, accountId, macText);
            if (present.contains("label")) {
                row.setLabel(label);
            }
            if (present.contains("sipContact")) {
                row.setSipContact(sipContact);
            }
            row.store();
            changes.device(tx, actor, "device.update", accountId, row.getMac(), "fields=" + present);
            return DeviceRows.toDevice(row);
        });
    }

    /** Writes out phones' buffered last-seen records, for a decision that depends on them. */
    void writePendingSightings() {
        lastSeen.flush();
    }

    /**
     * Binds the device to a user of the same account; a device bound to someone else must be unbound first.
     * A {@code firstInstall} binding (a technician's) takes only a device that has never fetched its files, to a
     * user who has no active device: a technician holds the device's credentials, so each such device can reveal
     * at most one user's SIP credentials, and never those of a user whose phone works.
     */
    public Device bind(String actor, String accountId, String macText, String userId, boolean firstInstall) {
        if (userId == null || userId.isBlank()) {
            throw Problem.badField("userId", "is required");
        }
        if (firstInstall) {
            lastSeen.flush();
        }
        return db.inTransaction(tx -> {
            DeviceRecord row = DeviceRows.fetchRow(tx, accountId, macText);
            if (!tx.fetchExists(APP_USER, APP_USER.ID.eq(userId).and(APP_USER.ACCOUNT_ID.eq(accountId)))) {
                throw Problem.badField("userId", "no such user in this account");
            }
            DeviceRows.requireActive(row);
            if (row.getUserId() != null && !row.getUserId().equals(userId)) {
                throw Problem.conflict("userId", "the device is bound to another user; unbind it first");
            }
            if (firstInstall) {
                requireFirstInstall(tx, row, userId);
            }
            row.setUserId(userId);
            row.store();
            changes.device(tx, actor, "device.bind", accountId, row.getMac(), "user=" + userId);
            return DeviceRows.toDevice(row);
        });
    }

    /** Call with pending sightings written out beforehand (never inside the transaction: it holds the row lock). */
    private static void requireFirstInstall(DSLContext tx, DeviceRecord row, String userId) {
        if (tx.fetchExists(DEVICE, DEVICE.MAC.eq(row.getMac()).and(DEVICE.LAST_SEEN_AT.isNotNull()))) {
            throw Problem.forbidden("a technician may bind only a device that has never fetched its files; "
                    + "use replace for a user's new handset");
        }
        if (tx.fetchExists(DEVICE, DEVICE.USER_ID.eq(userId).and(DEVICE.STATUS.eq(Device.ACTIVE))
                .and(DEVICE.MAC.ne(row.getMac())))) {
            throw Problem.forbidden("a technician may bind a device only to a user who has none; "
                    + "use replace for a user's new handset");
        }
    }

    public Device unbind(String actor, String accountId, String macText) {
        return db.inTransaction(tx -> {
            DeviceRecord row = DeviceRows.fetchRow(tx, accountId, macText);
            String previous = row.getUserId();
            row.setUserId(null);
            row.store();
            changes.device(tx, actor, "device.unbind", accountId, row.getMac(), "user=" + previous);
            return DeviceRows.toDevice(row);
        });
    }

    /**
     * Issues a next provisioning password, shown once: the device may use it or the current one until
     * it first proves itself with the next one, which then replaces the current one (no lock-out while
     * the phone still holds the old password).
     */
    public Credentials rotateProvisioningPassword(String actor, String accountId, String macText) {
        String password = Secrets.random(DeviceRows.PROVISIONING_PASSWORD_LENGTH);
        return db.inTransaction(tx -> {
            DeviceRecord row = DeviceRows.fetchRow(tx, accountId, macText);
            row.setProvPasswordNextEnc(secrets.seal(password));
            row.store();
            changes.device(tx, actor, "device.provisioning-password.rotate", accountId, row.getMac(), null);
            return new Credentials(row.getProvUsername(), password);
        });
    }

    /**
     * The device proved itself with its next provisioning password: that one becomes the current one and the
     * old one stops working. Guarded by the sealed value, so a newer rotation is never lost.
     */
    public void promoteNextProvisioningPassword(String accountId, String mac, String nextSealed) {
        db.inTransaction(tx -> {
            int changed = tx.update(DEVICE)
                    .set(DEVICE.PROV_PASSWORD_ENC, nextSealed)
                    .setNull(DEVICE.PROV_PASSWORD_NEXT_ENC)
                    .where(DEVICE.MAC.eq(mac))
                    .and(DEVICE.PROV_PASSWORD_NEXT_ENC.eq(nextSealed))
                    .execute();
            if (changed == 1) {
                changes.device(tx, "device:" + mac, "device.provisioning-password.promote", accountId, mac, null);
            }
            return null;
        });
    }
}
