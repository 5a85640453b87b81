package dialtone.testing;

import dialtone.config.DialtoneConfig;
import dialtone.store.Database;
import java.util.UUID;

/**
 * A fresh in-memory H2 database with the real Flyway schema, for testing the domain's services without a
 * server. Each one has a name of its own and lives as long as its connection pool: closing it drops it.
 */
public final class MemoryDatabase implements AutoCloseable {

    private final Database db;

    public MemoryDatabase(String name) {
        db = Database.open(new DialtoneConfig.Database(url(name), "dialtone", "", 4));
    }

    public static String url(String name) {
        return "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DATABASE_TO_LOWER=TRUE";
    }

    public Database db() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
