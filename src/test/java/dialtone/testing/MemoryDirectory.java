package dialtone.testing;

import dialtone.config.DialtoneConfig;
import dialtone.directory.Address;
import dialtone.directory.Directory;
import dialtone.directory.UserInput;
import dialtone.security.SecretBox;
import dialtone.store.Database;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The domain on a fresh in-memory H2 database, migrated by Flyway: no server, no listener, no files but the key. */
public final class MemoryDirectory implements AutoCloseable {

    private final Database db;
    private final Directory directory;

    public MemoryDirectory(Path dir) throws Exception {
        db = Database.open(new DialtoneConfig.Database("jdbc:h2:mem:directory-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE", "sa", "", 4));
        directory = new Directory(db, SecretBox.loadOrCreate(dir.resolve("secret.key")),
                model -> model.startsWith("yealink-") ? Optional.of("yealink") : Optional.empty(), 100);
    }

    public Directory directory() {
        return directory;
    }

    public Database db() {
        return db;
    }

    /** A new account with one location; returns {accountId, locationId}. */
    public String[] accountWithLocation(String name) {
        String account = directory.accounts().create("test", name).id();
        String location = directory.locations().create("test", account, "HQ",
                new Address("1 Main St", "Springfield", "IL", "62701", "US"), "America/Chicago").id();
        return new String[] {account, location};
    }

    /** A user with the required fields only. */
    public String user(String accountId, String locationId, String first, String last, String username,
                       String extension) {
        return directory.users().create("test", accountId, new UserInput(
                Set.of("firstName", "lastName", "username", "email", "extension", "locationId"), first, last, username,
                username + "@example.com", null, null, extension, null, locationId, null, null, null, null))
                .user().id();
    }

    @Override
    public void close() {
        directory.close();
        db.close();
    }
}
