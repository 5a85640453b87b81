package dialtone.directory;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.LOCATION;

import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.AppUserRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * The E911 step: the address pre-filled from the user's location, confirmed as-is or overridden by a
 * validated civic address. A user without an override follows its location (see {@link UserService#update}).
 */
public final class E911Service {

    private final Database db;
    private final Changes changes;

    public E911Service(Database db, Changes changes) {
        this.db = db;
        this.changes = changes;
    }

    /** What a PUT asks for; {@code address} applies only when {@code changeAddress} is set (null = back to the location's). */
    public record Change(boolean changeAddress, Address address, Boolean confirmed) {}

    public E911 get(String accountId, String userId) {
        DSLContext dsl = db.dsl();
        AppUserRecord row = dsl.selectFrom(APP_USER).where(APP_USER.ACCOUNT_ID.eq(accountId))
                .and(APP_USER.ID.eq(userId)).fetchOne();
        if (row == null) {
            throw Problem.notFound("user " + userId);
        }
        return view(dsl, row);
    }

    public E911 change(String actor, String accountId, String userId, Change change) {
        if (!change.changeAddress() && change.confirmed() == null) {
            throw Problem.badField("confirmed", "send confirmed: true, or an address to override the location's");
        }
        if (change.changeAddress() && change.address() != null) {
            List<FieldError> errors = new ArrayList<>();
            Rules.address(errors, "address", change.address());
            if (!errors.isEmpty()) {
                throw Problem.badRequest(errors);
            }
        }
        return db.inTransaction(tx -> {
            AppUserRecord row = UserService.fetchRow(tx, accountId, userId);
            String detail;
            if (change.changeAddress()) {
                Address a = change.address();
                row.setE911Street(a == null ? null : a.street().trim());
                row.setE911City(a == null ? null : a.city().trim());
                row.setE911Region(a == null ? null : a.region().trim());
                row.setE911PostalCode(a == null ? null : a.postalCode().trim());
                row.setE911Country(a == null ? null : a.country());
                // An address typed in by an admin is confirmed by that act, unless they say otherwise.
                row.setE911Confirmed(change.confirmed() != null ? change.confirmed() : a != null);
                detail = a == null ? "address=location" : "address=override";
            } else {
                row.setE911Confirmed(change.confirmed());
                detail = "confirmed=" + change.confirmed();
            }
            row.setUpdatedAt(OffsetDateTime.now());
            row.store();
            changes.user(tx, actor, "user.e911", accountId, userId, detail + ", confirmed=" + row.getE911Confirmed());
            return view(tx, row);
        });
    }

    static E911 view(DSLContext dsl, AppUserRecord row) {
        if (row.getE911Street() != null) {
            return new E911(new Address(row.getE911Street(), row.getE911City(), row.getE911Region(),
                    row.getE911PostalCode(), row.getE911Country()), E911.OVERRIDE, row.getE911Confirmed());
        }
        Location location = dsl.selectFrom(LOCATION).where(LOCATION.ID.eq(row.getLocationId())).fetchOptional()
                .map(LocationService::toLocation).orElseThrow();
        return new E911(location.address(), E911.FROM_LOCATION, row.getE911Confirmed());
    }
}
