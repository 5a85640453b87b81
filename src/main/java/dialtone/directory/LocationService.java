package dialtone.directory;

import static dialtone.store.generated.Tables.APP_USER;
import static dialtone.store.generated.Tables.LOCATION;

import dialtone.core.Problem;
import dialtone.core.FieldError;
import dialtone.store.Database;
import dialtone.store.generated.tables.records.LocationRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;

/** Offices of an account, each with its civic address and time zone. */
public final class LocationService {

    private final Database db;
    private final Changes changes;

    public LocationService(Database db, Changes changes) {
        this.db = db;
        this.changes = changes;
    }

    public Location create(String actor, String accountId, String name, Address address, String timeZone) {
        List<FieldError> errors = new ArrayList<>();
        Rules.text(errors, "name", name, 200);
        Rules.address(errors, "address", address);
        Rules.timeZone(errors, "timeZone", timeZone);
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        String id = Ids.newId();
        return db.inTransaction(tx -> {
            LocationRecord row = tx.newRecord(LOCATION);
            row.setId(id);
            row.setAccountId(accountId);
            row.setName(name.trim());
            row.setStreet(address.street());
            row.setCity(address.city());
            row.setRegion(address.region());
            row.setPostalCode(address.postalCode());
            row.setCountry(address.country());
            row.setTimeZone(timeZone);
            row.setCreatedAt(OffsetDateTime.now());
            row.store();
            changes.record(tx, actor, "location.create", new DirectoryEvent.LocationChanged(accountId, id), "location", id, "name=" + row.getName());
            return toLocation(row);
        });
    }

    /** Changes the fields named in {@code present}; the same rules as on creation. */
    public Location update(String actor, String accountId, String locationId, Set<String> present, String name,
                           Address address, String timeZone) {
        List<FieldError> errors = new ArrayList<>();
        if (present.contains("name")) {
            Rules.text(errors, "name", name, 200);
        }
        if (present.contains("address")) {
            Rules.address(errors, "address", address);
        }
        if (present.contains("timeZone")) {
            Rules.timeZone(errors, "timeZone", timeZone);
        }
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        return db.inTransaction(tx -> {
            LocationRecord row = fetchRow(tx, accountId, locationId);
            if (present.contains("name")) {
                row.setName(name.trim());
            }
            if (present.contains("address")) {
                row.setStreet(address.street());
                row.setCity(address.city());
                row.setRegion(address.region());
                row.setPostalCode(address.postalCode());
                row.setCountry(address.country());
            }
            if (present.contains("timeZone")) {
                row.setTimeZone(timeZone);
            }
            row.store();
            changes.record(tx, actor, "location.update", new DirectoryEvent.LocationChanged(accountId, locationId),
                    "location", locationId, "fields=" + present);
            return toLocation(row);
        });
    }

    /** Deletes a location no user is at; otherwise 409 with the count (move the users first). */
    public void delete(String actor, String accountId, String locationId) {
        db.inTransaction(tx -> {
            LocationRecord row = fetchRow(tx, accountId, locationId);
            int users = tx.fetchCount(APP_USER, APP_USER.LOCATION_ID.eq(locationId));
            if (users > 0) {
                throw Problem.conflict("location", users + (users == 1 ? " user is" : " users are")
                        + " at this location; move them to another location first");
            }
            row.delete();
            changes.record(tx, actor, "location.delete", new DirectoryEvent.LocationChanged(accountId, locationId),
                    "location", locationId, "name=" + row.getName());
            return null;
        });
    }

    private static LocationRecord fetchRow(DSLContext tx, String accountId, String locationId) {
        LocationRecord row = tx.selectFrom(LOCATION).where(LOCATION.ACCOUNT_ID.eq(accountId))
                .and(LOCATION.ID.eq(locationId)).forUpdate().fetchOne();
        if (row == null) {
            throw Problem.notFound("location " + locationId);
        }
        return row;
    }

    public Optional<Location> find(String accountId, String id) {
        return db.dsl().selectFrom(LOCATION).where(LOCATION.ACCOUNT_ID.eq(accountId)).and(LOCATION.ID.eq(id))
                .fetchOptional().map(LocationService::toLocation);
    }

    public Page<Location> list(String accountId, String after, int limit) {
        List<Location> rows = db.dsl().selectFrom(LOCATION)
                .where(LOCATION.ACCOUNT_ID.eq(accountId)).and(LOCATION.ID.gt(after == null ? "" : after))
                .orderBy(LOCATION.ID).limit(limit + 1).fetch(LocationService::toLocation);
        return Page.of(rows, limit, Location::id);
    }

    static Location toLocation(LocationRecord r) {
        return new Location(r.getId(), r.getAccountId(), r.getName(),
                new Address(r.getStreet(), r.getCity(), r.getRegion(), r.getPostalCode(), r.getCountry()),
                r.getTimeZone(), r.getCreatedAt());
    }
}
