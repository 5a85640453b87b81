package dialtone.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.ValueDataType;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;
import org.h2.result.Row;
import org.h2.value.Value;
import org.h2.value.ValueCollectionBase;

/**
 * Judges an H2 database file from a backup by the definitions stored in it, read from the file as data,
 * never by opening it: H2 runs a trigger's Java source, compiles functions and connects linked tables while it
 * opens a database. The file passes only if its definitions are exactly those our Flyway scripts create, at
 * one of their versions; then opening it runs nothing but our own schema.
 */
final class BackupSchema {

    /** One stored definition: its H2 object type and its SQL, with the parts that differ per database masked. */
    record Definition(int type, String sql) {
        String describe() {
            String oneLine = sql.replaceAll("\\s+", " ");
            return (type < TYPES.length ? TYPES[type] : "type " + type) + " "
                    + (oneLine.length() > 120 ? oneLine.substring(0, 120) + "..." : oneLine);
        }
    }

    /** H2's {@code DbObject} type numbers. */
    private static final String[] TYPES = {"TABLE/VIEW", "INDEX", "USER", "SEQUENCE", "TRIGGER", "CONSTRAINT",
        "SETTING", "ROLE", "RIGHT", "FUNCTION", "SCHEMA", "CONSTANT", "DOMAIN", "COMMENT", "AGGREGATE", "SYNONYM"};
    private static final int TABLE = 0;
    private static final int USER = 2;
    private static final int SEQUENCE = 3;
    private static final int SETTING = 6;
    private static final Pattern IDENTITY_SEQUENCE = Pattern.compile("SYSTEM_SEQUENCE_[0-9A-F_]{36}");
    // H2 names constraints and indexes it generates by counters and hashes that vary from run to run.
    private static final Pattern GENERATED_NAME = Pattern.compile(
            "\"(PRIMARY_KEY|CONSTRAINT_INDEX|CONSTRAINT)_[0-9A-F]+(_INDEX_[0-9A-F]+)?\"");
    private static final Pattern GENERATED_INDEX_SUFFIX = Pattern.compile("_INDEX_[0-9A-F]+\"");
    private static final Pattern STATISTICS = Pattern.compile(" SELECTIVITY [0-9]+");
    private static final Pattern SEQUENCE_POSITION = Pattern.compile(" RESTART WITH -?[0-9]+");
    private static final Pattern PASSWORD_HASH = Pattern.compile("SALT '[0-9a-f]*' HASH '[0-9a-f]*'");
    // Numeric settings (the H2 build that created the file, WRITE_DELAY, cache sizes) tune, they run nothing,
    // and differ with how the database was opened; a setting that names something (a class) must match ours.
    private static final Pattern NUMERIC_SETTING = Pattern.compile("^SET [A-Z_]+ -?[0-9]+$");

    private BackupSchema() {}

    /**
     * Returns the Flyway version whose schema the file holds, or refuses the file naming what differs.
     * {@code workDir} receives a reference database built from our scripts with the given credentials.
     */
    static String requireOurs(Path mvFile, Path workDir, String user, String password) throws IOException {
        List<Definition> found = definitions(mvFile);
        Map<String, List<Definition>> ours = referenceSchemas(workDir, user, password);
        List<Definition> closestUnexpected = null;
        int closestMissing = 0;
        for (Map.Entry<String, List<Definition>> version : ours.entrySet()) {
            List<Definition> unexpected = minus(found, version.getValue());
            List<Definition> missing = minus(version.getValue(), found);
            if (unexpected.isEmpty() && missing.isEmpty()) {
                return version.getKey();
            }
            if (closestUnexpected == null || unexpected.size() + missing.size() < closestUnexpected.size() + closestMissing) {
                closestUnexpected = unexpected;
                closestMissing = missing.size();
            }
        }
        StringBuilder why = new StringBuilder("the backup's database does not hold Dialtone's schema, so it was not "
                + "opened (a database can carry code in triggers, functions, views and linked tables)");
        if (closestUnexpected != null && !closestUnexpected.isEmpty()) {
            why.append("; it defines what ours does not: ").append(String.join("; ",
                    closestUnexpected.stream().limit(3).map(Definition::describe).toList()));
            if (closestUnexpected.size() > 3) {
                why.append(" (and ").append(closestUnexpected.size() - 3).append(" more)");
            }
        }
        if (closestMissing > 0) {
            why.append("; ").append(closestMissing).append(" of our definitions are missing");
        }
        throw new IOException(why.toString());
    }

    /** The definitions stored in an H2 file, read through H2's storage layer, which runs no SQL. */
    static List<Definition> definitions(Path mvFile) throws IOException {
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(mvFile.toString()).readOnly().open();
        } catch (RuntimeException e) {
            throw new IOException("the backup's database cannot be read: " + e.getMessage(), e);
        }
        try {
            TransactionStore transactions = new TransactionStore(store, new ValueDataType());
            transactions.init();
            Transaction read = transactions.begin();
            TransactionMap<Object, Object> meta = read.openMap("table.0");
            List<Definition> definitions = new ArrayList<>();
            for (var keys = meta.keyIterator(null); keys.hasNext(); ) {
                Object row = meta.get(keys.next());
                Value[] values = row instanceof Row r ? r.getValueList() : ((ValueCollectionBase) row).getList();
                int type = values[2].getInt();
                String sql = values[3].getString();
                if (type != SETTING || !NUMERIC_SETTING.matcher(sql).matches()) {
                    definitions.add(normalised(type, sql));
                }
            }
            definitions.sort(Comparator.comparing(Definition::type).thenComparing(Definition::sql));
            return definitions;
        } catch (RuntimeException e) {
            throw new IOException("the backup's database cannot be read: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            // A damaged file can send H2's page reader round a loop of chunk references.
            throw new IOException("the backup's database cannot be read: its storage is damaged", e);
        } finally {
            store.closeImmediately();
        }
    }

    /** Masks what differs between two databases of the same schema: generated names, counters, statistics. */
    private static Definition normalised(int type, String sql) {
        String masked = IDENTITY_SEQUENCE.matcher(sql).replaceAll("SYSTEM_SEQUENCE");
        masked = GENERATED_NAME.matcher(masked).replaceAll("\"GENERATED\"");
        masked = GENERATED_INDEX_SUFFIX.matcher(masked).replaceAll("_INDEX\"");
        if (type == TABLE) {
            masked = STATISTICS.matcher(masked).replaceAll("");
        } else if (type == SEQUENCE) {
            masked = SEQUENCE_POSITION.matcher(masked).replaceAll("");
        } else if (type == USER) {
            masked = PASSWORD_HASH.matcher(masked).replaceAll("SALT '' HASH ''");
        }
        return new Definition(type, masked);
    }

    /** Our schema at each Flyway version, built by running our scripts one version at a time. */
    private static Map<String, List<Definition>> referenceSchemas(Path workDir, String user, String password)
            throws IOException {
        Path reference = workDir.resolve("reference");
        String url = "jdbc:h2:file:" + reference.toAbsolutePath() + ";DATABASE_TO_LOWER=TRUE";
        List<String> versions = new ArrayList<>();
        for (MigrationInfo migration : flyway(url, user, password, null).info().pending()) {
            versions.add(migration.getVersion().getVersion());
        }
        Map<String, List<Definition>> schemas = new LinkedHashMap<>();
        for (String version : versions) {
            flyway(url, user, password, version).migrate();
            shutDown(url, user, password);
            schemas.put(version, definitions(reference.resolveSibling(reference.getFileName() + ".mv.db")));
        }
        return schemas;
    }

    /** Closes the database for good, so that its file can be read as data. */
    private static void shutDown(String url, String user, String password) throws IOException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new IOException("cannot close the reference database: " + e.getMessage(), e);
        }
    }

    static Flyway flyway(String url, String user, String password, String target) {
        var configuration = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration");
        return (target == null ? configuration : configuration.target(target)).load();
    }

    private static List<Definition> minus(List<Definition> from, List<Definition> remove) {
        List<Definition> left = new ArrayList<>(from);
        for (Definition definition : remove) {
            left.remove(definition);
        }
        return left;
    }
}
