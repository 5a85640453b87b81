package dialtone.directory;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.DEVICE;

import dialtone.core.DaemonThreads;
import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.store.Database;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk onboarding: rows of user fields (plus an optional new device) are created one transaction per
 * row, so a bad row is reported and never half-created while the good rows go in. A row whose username
 * already exists in the account is reported as {@code exists}, so re-running a file creates nothing twice.
 * When the process is stopping, the row in hand is finished and the rest are reported {@code not-done}.
 */
public final class UserBulk {

    private static final Logger LOG = LoggerFactory.getLogger(UserBulk.class);
    public static final String MAC = "mac";
    public static final String MODEL = "model";
    public static final String LABEL = "label";
    /** The columns an import understands: the user fields plus the device's. */
    public static final Set<String> IMPORT_COLUMNS;
    /** The columns of an export: everything an import takes except secrets and actions. */
    public static final List<String> EXPORT_COLUMNS = List.of("firstName", "lastName", "username", "email",
            "emailVoicemails", "phoneNumber", "extension", "unreachableForward", "locationId", "timeZone",
            "authorizedUser", "enabled", "noAnswerForward", "noAnswerSeconds", MAC, MODEL, LABEL);
    public static final int MAX_ROWS = 10_000;
    static {
        Set<String> columns = new LinkedHashSet<>(UserInput.FIELDS);
        columns.addAll(List.of(MAC, MODEL, LABEL));
        IMPORT_COLUMNS = Set.copyOf(columns);
    }

    private final Database db;
    private final UserService users;
    private final DeviceService devices;
    private final ExecutorService hashing = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), DaemonThreads.named("dialtone-import-hash", true));
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final BooleanSupplier stopping;

    /** @param stopping true once the process is stopping: no further row is started */
    public UserBulk(Database db, UserService users, DeviceService devices, BooleanSupplier stopping) {
        this.db = db;
        this.users = users;
        this.devices = devices;
        this.stopping = stopping;
    }

    /** The outcome of one row; credentials are present only on {@code created} rows, shown this once. */
    public record RowResult(int line, String username, String status, String id, Credentials sip, String mac,
                            Credentials provisioning, List<FieldError> errors) {
        public static final String CREATED = "created";
        public static final String EXISTS = "exists";
        public static final String FAILED = "failed";
        /** Not attempted: the process was stopping. Nothing of the row was written; import the file again. */
        public static final String NOT_DONE = "not-done";
    }

    /** The whole report, with the time spent in each phase (milliseconds) for operators sizing imports. */
    public record Report(int created, int existing, int failed, int notDone, Map<String, Long> timings,
                         List<RowResult> rows) {}

    private record Planned(ImportRow row, UserInput input, DeviceService.NewDevice device) {}

    /**
     * Imports the rows; one import per account runs at a time (another gets 409), and rows that can be refused are
     * refused before any Argon2 work, which runs on a small pool shared by every account's imports.
     */
    public Report importRows(String actor, String accountId, List<ImportRow> rows) {
        return importRows(actor, accountId, rows, Progress.NONE);
    }

    /** Where a running import is: the phase, and how many of that phase's rows are done. */
    public interface Progress {
        String CHECKING = "checking";
        String HASHING = "hashing";
        String STORING = "storing";
        Progress NONE = (phase, done, total) -> { };

        void at(String phase, int done, int total);
    }

    /** As {@link #importRows(String, String, List)}, telling {@code progress} where it is as it goes. */
    public Report importRows(String actor, String accountId, List<ImportRow> rows, Progress progress) {
        if (running.putIfAbsent(accountId, Boolean.TRUE) != null) {
            throw Problem.conflict("import", "an import into this account is still running; retry once it has finished");
        }
        try {
            return importAlone(actor, accountId, rows, progress);
        } finally {
            running.remove(accountId);
        }
    }

    private Report importAlone(String actor, String accountId, List<ImportRow> rows, Progress progress) {
        long start = System.nanoTime();
        Map<Integer, RowResult> results = new HashMap<>();
        List<Planned> plans = new ArrayList<>();
        progress.at(Progress.CHECKING, 0, rows.size());
        for (ImportRow row : rows) {
            List<FieldError> errors = new ArrayList<>(row.problems());
            UserInput input = toInput(row.cells(), errors);
            errors.addAll(UserService.validateNew(input));
            DeviceService.NewDevice device = null;
            try {
                device = newDevice(row.cells());
            } catch (Problem e) {
                errors.addAll(e.errors());
            }
            if (errors.isEmpty()) {
                plans.add(new Planned(row, input, device));
            } else {
                results.put(row.line(), failed(row, errors));
            }
        }
        Set<String> existing = existingUsernames(accountId, plans);
        List<Planned> toCreate = new ArrayList<>();
        for (Planned plan : plans) {
            if (existing.contains(plan.input().username().toLowerCase(Locale.ROOT))) {
                results.put(plan.row().line(), new RowResult(plan.row().line(), plan.input().username(),
                        RowResult.EXISTS, null, null, null, null, List.of()));
            } else {
                toCreate.add(plan);
            }
        }
        toCreate = refuseConflicts(accountId, toCreate, results);
        long validated = System.nanoTime();
        progress.at(Progress.CHECKING, rows.size(), rows.size());
        List<UserService.NewUserSecrets> hashes = hashAll(toCreate, progress);
        long hashed = System.nanoTime();
        for (int i = 0; i < toCreate.size(); i++) {
            progress.at(Progress.STORING, i, toCreate.size());
            Planned plan = toCreate.get(i);
            // Stopping: the row in hand was finished; this one and the rest are left whole, for a later run.
            results.put(plan.row().line(), i < hashes.size() && !stopping.getAsBoolean()
                    ? create(actor, accountId, plan, hashes.get(i)) : notDone(plan.row()));
        }
        progress.at(Progress.STORING, toCreate.size(), toCreate.size());
        long stored = System.nanoTime();
        List<RowResult> ordered = rows.stream().map(r -> results.get(r.line())).toList();
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("validateMillis", (validated - start) / 1_000_000);
        timings.put("hashMillis", (hashed - validated) / 1_000_000);
        timings.put("storeMillis", (stored - hashed) / 1_000_000);
        timings.put("totalMillis", (stored - start) / 1_000_000);
        int created = count(ordered, RowResult.CREATED);
        int exists = count(ordered, RowResult.EXISTS);
        int failedRows = count(ordered, RowResult.FAILED);
        int notDone = count(ordered, RowResult.NOT_DONE);
        LOG.info("user import into account {}: {} rows, {} created, {} existing, {} failed, {} not done; timings {}",
                accountId, rows.size(), created, exists, failedRows, notDone, timings);
        return new Report(created, exists, failedRows, notDone, timings, ordered);
    }

    private RowResult create(String actor, String accountId, Planned plan, UserService.NewUserSecrets secrets) {
        try {
            return db.inTransaction(tx -> {
                if (tx.fetchExists(APP_USER, APP_USER.ACCOUNT_ID.eq(accountId)
                        .and(APP_USER.USERNAME_KEY.eq(plan.input().username().toLowerCase(Locale.ROOT))))) {
                    return new RowResult(plan.row().line(), plan.input().username(), RowResult.EXISTS, null, null,
                            null, null, List.of());
                }
                CreatedUser user = users.insert(tx, actor, accountId, plan.input(), new ArrayList<>(), secrets);
                CreatedDevice device = plan.device() == null ? null
                        : devices.createBound(tx, actor, accountId, plan.device(), user.user().id());
                return new RowResult(plan.row().line(), user.user().username(), RowResult.CREATED, user.user().id(),
                        user.sip(), device == null ? null : device.device().mac(),
                        device == null ? null : device.provisioning(), List.of());
            });
        } catch (Problem e) {
            return failed(plan.row(), e.errors().isEmpty() ? List.of(new FieldError("row", e.getMessage())) : e.errors());
        } catch (DataAccessException e) {
            RuntimeException mapped = UserService.uniqueConflict(e);
            if (mapped instanceof Problem p) {
                return failed(plan.row(), p.errors());
            }
            throw e;
        }
    }

    /** The row every stopped import reports for the rows it did not start. */
    static FieldError notDoneReason() {
        return new FieldError("row", "not imported: the server was stopping; nothing of this row was written,"
                + " import the file again (rows already created are then reported as exists)");
    }

    private static RowResult notDone(ImportRow row) {
        return new RowResult(row.line(), row.cells().get("username"), RowResult.NOT_DONE, null, null, null, null,
                List.of(notDoneReason()));
    }

    /**
     * Argon2 hashing dominates an import with PINs or welcome e-mails. It runs outside transactions on a pool of
     * half the cores shared by every import, one row at a time per import: concurrent imports share it fairly and
     * the other half of the machine keeps serving everyone else. Stops early (a shorter list) when the process is
     * stopping.
     */
    private List<UserService.NewUserSecrets> hashAll(List<Planned> plans, Progress progress) {
        List<UserService.NewUserSecrets> out = new ArrayList<>();
        try {
            for (Planned plan : plans) {
                if (stopping.getAsBoolean()) {
                    break;
                }
                progress.at(Progress.HASHING, out.size(), plans.size());
                boolean secret = plan.input().pin() != null || Boolean.TRUE.equals(plan.input().sendWelcomeEmail());
                out.add(secret ? hashing.submit(() -> users.hashSecrets(plan.input())).get()
                        : UserService.NewUserSecrets.NONE);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed", e.getCause());
        }
    }

    /**
     * Rows that would fail on insert anyway (a username taken in another account, an extension used in this one, or
     * either twice in the file) fail now, with the insert's words, so no hashing is spent on them.
     */
    private List<Planned> refuseConflicts(String accountId, List<Planned> plans, Map<Integer, RowResult> results) {
        Set<String> takenNames = new HashSet<>();
        Set<String> usedExtensions = new HashSet<>();
        List<String> names = plans.stream().map(p -> p.input().username().toLowerCase(Locale.ROOT)).toList();
        List<String> extensions = plans.stream().map(p -> p.input().extension()).toList();
        for (int i = 0; i < plans.size(); i += 500) {
            int end = Math.min(plans.size(), i + 500);
            takenNames.addAll(db.dsl().select(APP_USER.USERNAME_KEY).from(APP_USER)
                    .where(APP_USER.USERNAME_KEY.in(names.subList(i, end))).fetch(APP_USER.USERNAME_KEY));
            usedExtensions.addAll(db.dsl().select(APP_USER.EXTENSION).from(APP_USER)
                    .where(APP_USER.ACCOUNT_ID.eq(accountId)).and(APP_USER.EXTENSION.in(extensions.subList(i, end)))
                    .fetch(APP_USER.EXTENSION));
        }
        List<Planned> kept = new ArrayList<>();
        for (Planned plan : plans) {
            if (!takenNames.add(plan.input().username().toLowerCase(Locale.ROOT))) {
                results.put(plan.row().line(), failed(plan.row(), List.of(new FieldError("username",
                        UserService.USERNAME_TAKEN))));
            } else if (!usedExtensions.add(plan.input().extension())) {
                results.put(plan.row().line(), failed(plan.row(), List.of(new FieldError("extension",
                        UserService.EXTENSION_USED))));
            } else {
                kept.add(plan);
            }
        }
        return kept;
    }

    private Set<String> existingUsernames(String accountId, List<Planned> plans) {
        Set<String> keys = new HashSet<>();
        plans.forEach(p -> keys.add(p.input().username().toLowerCase(Locale.ROOT)));
        Set<String> found = new HashSet<>();
        List<String> all = new ArrayList<>(keys);
        for (int i = 0; i < all.size(); i += 500) {
            found.addAll(db.dsl().select(APP_USER.USERNAME_KEY).from(APP_USER).where(APP_USER.ACCOUNT_ID.eq(accountId))
                    .and(APP_USER.USERNAME_KEY.in(all.subList(i, Math.min(all.size(), i + 500))))
                    .fetch(APP_USER.USERNAME_KEY));
        }
        return found;
    }

    private DeviceService.NewDevice newDevice(Map<String, String> cells) {
        String mac = cells.get(MAC);
        String model = cells.get(MODEL);
        String label = cells.get(LABEL);
        if (mac == null && model == null && label == null) {
            return null;
        }
        return devices.validateNew(mac, model, label);
    }

    private static UserInput toInput(Map<String, String> cells, List<FieldError> errors) {
        Set<String> present = new LinkedHashSet<>();
        for (String field : UserInput.FIELDS) {
            if (cells.containsKey(field)) {
                present.add(field);
            }
        }
        return new UserInput(present, cells.get("firstName"), cells.get("lastName"), cells.get("username"),
                cells.get("email"), bool(cells, "emailVoicemails", errors), cells.get("phoneNumber"),
                cells.get("extension"), cells.get("unreachableForward"), cells.get("locationId"), cells.get("timeZone"),
                bool(cells, "authorizedUser", errors), cells.get("pin"), bool(cells, "sendWelcomeEmail", errors),
                bool(cells, "enabled", errors), cells.get("noAnswerForward"), integer(cells, "noAnswerSeconds", errors));
    }

    private static Boolean bool(Map<String, String> cells, String field, List<FieldError> errors) {
        String value = cells.get(field);
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> {
                errors.add(new FieldError(field, "must be true or false"));
                yield null;
            }
        };
    }

    private static Integer integer(Map<String, String> cells, String field, List<FieldError> errors) {
        String value = cells.get(field);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be a whole number"));
            return null;
        }
    }

    private static RowResult failed(ImportRow row, List<FieldError> errors) {
        return new RowResult(row.line(), row.cells().get("username"), RowResult.FAILED, null, null, null, null,
                List.copyOf(errors));
    }

    private static int count(List<RowResult> rows, String status) {
        return (int) rows.stream().filter(r -> status.equals(r.status())).count();
    }

    /** Every user of the account as export rows (column -> value), without any secret. */
    public List<Map<String, String>> exportRows(String accountId) {
        var dsl = db.dsl();
        Map<String, dialtone.store.generated.tables.records.DeviceRecord> firstDevice = new HashMap<>();
        dsl.selectFrom(DEVICE).where(DEVICE.ACCOUNT_ID.eq(accountId)).and(DEVICE.USER_ID.isNotNull())
                .orderBy(DEVICE.MAC).fetch().forEach(d -> firstDevice.putIfAbsent(d.getUserId(), d));
        List<Map<String, String>> out = new ArrayList<>();
        dsl.selectFrom(APP_USER).where(APP_USER.ACCOUNT_ID.eq(accountId)).orderBy(APP_USER.USERNAME_KEY).fetch()
                .forEach(u -> {
                    Map<String, String> row = new LinkedHashMap<>();
                    row.put("firstName", u.getFirstName());
                    row.put("lastName", u.getLastName());
                    row.put("username", u.getUsername());
                    row.put("email", u.getEmail());
                    row.put("emailVoicemails", u.getEmailVoicemails().toString());
                    row.put("phoneNumber", u.getPhoneNumber());
                    row.put("extension", u.getExtension());
                    row.put("unreachableForward", u.getUnreachableForward());
                    row.put("locationId", u.getLocationId());
                    row.put("timeZone", u.getTimeZone());
                    row.put("authorizedUser", u.getAuthorizedUser().toString());
                    row.put("enabled", u.getEnabled().toString());
                    row.put("noAnswerForward", u.getNoAnswerForward());
                    row.put("noAnswerSeconds", u.getNoAnswerSeconds() == null ? null : u.getNoAnswerSeconds().toString());
                    var device = firstDevice.get(u.getId());
                    row.put(MAC, device == null ? null : device.getMac());
                    row.put(MODEL, device == null ? null : device.getModel());
                    row.put(LABEL, device == null ? null : device.getLabel());
                    out.add(row);
                });
        return out;
    }

    /** Stops the hashing pool; an import still running fails. */
    void close() {
        hashing.shutdownNow();
    }
}
