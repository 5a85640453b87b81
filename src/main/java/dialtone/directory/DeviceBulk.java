package dialtone.directory;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.DEVICE;

import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.DeviceRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jooq.exception.DataAccessException;

/**
 * Bulk devices: {@code mac,model,label,username} rows, each in its own transaction (a bad row leaves
 * nothing behind and does not stop the others). Running the same file again changes nothing: a device
 * already there as the file describes it is reported {@code exists}. When the process is stopping, the row in
 * hand is finished and the rest are reported {@code not-done}.
 */
public final class DeviceBulk {

    public static final List<String> COLUMNS = List.of("mac", "model", "label", "username");
    public static final List<String> EXPORT_COLUMNS = List.of("mac", "model", "label", "username", "status");
    public static final int MAX_ROWS = 10_000;

    /** One row's outcome; {@code provisioning} only for a device this import created. */
    public record RowResult(int line, String mac, String status, Credentials provisioning, List<FieldError> errors) {
        public static final String CREATED = "created";
        public static final String BOUND = "bound";
        public static final String EXISTS = "exists";
        public static final String FAILED = "failed";
        /** Not attempted: the process was stopping. */
        public static final String NOT_DONE = UserBulk.RowResult.NOT_DONE;
    }

    public record Report(int created, int bound, int existing, int failed, int notDone, List<RowResult> rows) {}

    private final Database db;
    private final Changes changes;
    private final DeviceService devices;
    private final BooleanSupplier stopping;

    /** @param stopping true once the process is stopping: no further row is started */
    public DeviceBulk(Database db, Changes changes, DeviceService devices, BooleanSupplier stopping) {
        this.db = db;
        this.changes = changes;
        this.devices = devices;
        this.stopping = stopping;
    }

    public Report importRows(String actor, String accountId, List<ImportRow> rows) {
        List<RowResult> results = new ArrayList<>();
        for (ImportRow row : rows) {
            results.add(stopping.getAsBoolean()
                    ? new RowResult(row.line(), row.cells().get("mac"), RowResult.NOT_DONE, null,
                            List.of(UserBulk.notDoneReason()))
                    : importRow(actor, accountId, row));
        }
        return new Report(count(results, RowResult.CREATED), count(results, RowResult.BOUND),
                count(results, RowResult.EXISTS), count(results, RowResult.FAILED), count(results, RowResult.NOT_DONE),
                results);
    }

    private RowResult importRow(String actor, String accountId, ImportRow row) {
        Map<String, String> cells = row.cells();
        String mac = cells.get("mac");
        if (!row.problems().isEmpty()) {
            return failed(row, mac, row.problems());
        }
        try {
            DeviceService.NewDevice spec = devices.validateNew(mac, cells.get("model"), cells.get("label"));
            return db.inTransaction(tx -> {
                String userId = null;
                String username = cells.get("username");
                if (username != null) {
                    userId = tx.select(APP_USER.ID).from(APP_USER).where(APP_USER.ACCOUNT_ID.eq(accountId))
                            .and(APP_USER.USERNAME_KEY.eq(username.toLowerCase(Locale.ROOT))).fetchOne(APP_USER.ID);
                    if (userId == null) {
                        throw Problem.badField("username", "no user with this username in this account");
                    }
                }
                DeviceRecord existing = tx.selectFrom(DEVICE).where(DEVICE.MAC.eq(spec.mac())).forUpdate().fetchOne();
                if (existing == null) {
                    CreatedDevice created = userId == null
                            ? devices.createUnbound(tx, actor, accountId, spec)
                            : devices.createBound(tx, actor, accountId, spec, userId);
                    return new RowResult(row.line(), spec.mac(), RowResult.CREATED, created.provisioning(), List.of());
                }
                return alreadyThere(tx, actor, accountId, row, spec, existing, userId);
            });
        } catch (Problem e) {
            return failed(row, mac, e.errors().isEmpty() ? List.of(new FieldError("row", e.getMessage())) : e.errors());
        } catch (DataAccessException e) {
            return failed(row, mac, DeviceRows.macConflict(e) instanceof Problem p ? p.errors()
                    : List.of(new FieldError("row", "could not be stored")));
        }
    }

    /** A device with the row's MAC exists: the same as the row says (exists), bindable (bound), or a conflict. */
    private RowResult alreadyThere(org.jooq.DSLContext tx, String actor, String accountId, ImportRow row,
                                          DeviceService.NewDevice spec, DeviceRecord existing, String userId) {
        if (!existing.getAccountId().equals(accountId)) {
            throw Problem.conflict("mac", DeviceRows.MAC_TAKEN);
        }
        if (!existing.getModel().equals(spec.model())) {
            throw Problem.conflict("model", "the device exists with model " + existing.getModel());
        }
        if (userId == null || userId.equals(existing.getUserId())) {
            return new RowResult(row.line(), spec.mac(), RowResult.EXISTS, null, List.of());
        }
        DeviceRows.requireActive(existing);
        if (existing.getUserId() != null) {
            throw Problem.conflict("username", "the device is bound to another user");
        }
        existing.setUserId(userId);
        existing.store();
        changes.device(tx, actor, "device.bind", accountId, spec.mac(), "user=" + userId);
        return new RowResult(row.line(), spec.mac(), RowResult.BOUND, null, List.of());
    }

    /** Every device of the account as export rows (no secrets). */
    public List<Map<String, String>> exportRows(String accountId) {
        return db.dsl().select(DEVICE.MAC, DEVICE.MODEL, DEVICE.LABEL, APP_USER.USERNAME, DEVICE.STATUS).from(DEVICE)
                .leftJoin(APP_USER).on(APP_USER.ID.eq(DEVICE.USER_ID))
                .where(DEVICE.ACCOUNT_ID.eq(accountId)).orderBy(DEVICE.MAC)
                .fetch(r -> {
                    Map<String, String> row = new LinkedHashMap<>();
                    row.put("mac", r.get(DEVICE.MAC));
                    row.put("model", r.get(DEVICE.MODEL));
                    row.put("label", r.get(DEVICE.LABEL));
                    row.put("username", r.get(APP_USER.USERNAME));
                    row.put("status", r.get(DEVICE.STATUS));
                    return row;
                });
    }

    private static RowResult failed(ImportRow row, String mac, List<FieldError> errors) {
        return new RowResult(row.line(), mac, RowResult.FAILED, null, errors);
    }

    private static int count(List<RowResult> rows, String status) {
        return (int) rows.stream().filter(r -> r.status().equals(status)).count();
    }
}
