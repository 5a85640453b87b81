package dialtone.store;

import dialtone.core.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Consistent online backups of the embedded H2 database ({@code BACKUP TO}, taken inside the running
 * server while it keeps serving) and their restore into a stopped server's data directory.
 */
public final class Backups {

    static final String DATABASE_FILE = "dialtone.mv.db";
    private final Database db;
    private final String jdbcUrl;

    public Backups(Database db, String jdbcUrl) {
        this.db = db;
        this.jdbcUrl = jdbcUrl;
    }

    /** Writes a zip of the live database and returns its bytes. */
    public byte[] take() throws IOException {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            throw new Problem(Problem.Kind.NOT_IMPLEMENTED,
                    "backups through Dialtone cover the embedded H2 database; back up PostgreSQL with pg_dump");
        }
        Path tmp = Files.createTempFile("dialtone-backup", ".zip");
        try {
            Files.delete(tmp);
            db.dsl().execute("BACKUP TO '" + tmp.toAbsolutePath().toString().replace("'", "''") + "'");
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Restores a backup zip over the H2 database of {@code jdbcUrl}; the server must be stopped. The
     * backup is unpacked beside the database and checked first: it must hold Dialtone's schema and its
     * sealed secrets must open with {@code canOpen} (the data directory's secret.key). The database it
     * replaces is kept as {@code dialtone.mv.db.before-restore-<time>}.
     *
     * @return the path of the kept previous database, or null when there was none
     */
    public static Path restore(Path zip, dialtone.config.DialtoneConfig.Database config,
                               java.util.function.Predicate<String> canOpen) throws IOException, java.sql.SQLException {
        Path database = databaseFile(config.url());
        refuseIfInUse(config, database);
        Path staging = Files.createTempDirectory(database.toAbsolutePath().getParent(), "restore");
        try {
            org.h2.tools.Restore.execute(zip.toString(), staging.toString(), "dialtone");
            Path restored = staging.resolve(DATABASE_FILE);
            if (!Files.exists(restored)) {
                throw new IOException(zip + " is not a Dialtone backup (it holds no " + DATABASE_FILE + ")");
            }
            checkSecretsOpen(staging, config, canOpen);
            Path kept = null;
            if (Files.exists(database)) {
                kept = database.resolveSibling(DATABASE_FILE + ".before-restore-" + System.currentTimeMillis());
                Files.move(database, kept);
            }
            Files.move(restored, database);
            return kept;
        } finally {
            try (var files = Files.walk(staging)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void checkSecretsOpen(Path staging, dialtone.config.DialtoneConfig.Database config,
                                         java.util.function.Predicate<String> canOpen)
            throws java.sql.SQLException, IOException {
        String url = "jdbc:h2:file:" + staging.resolve("dialtone").toAbsolutePath() + ";DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE";
        try (var connection = java.sql.DriverManager.getConnection(url, config.user(), config.password());
             var rows = connection.createStatement().executeQuery(
                     "select prov_password_enc from device union all select sip_password_enc from app_user")) {
            if (rows.next() && !canOpen.test(rows.getString(1))) {
                throw new IOException("the backup's secrets do not open with this data directory's secret.key: "
                        + "put back the secret.key that belongs to the backup, then restore again");
            }
        }
    }

    private static void refuseIfInUse(dialtone.config.DialtoneConfig.Database config, Path database)
            throws IOException {
        if (!Files.exists(database)) {
            return;
        }
        try (var connection = java.sql.DriverManager.getConnection(config.url() + ";IFEXISTS=TRUE", config.user(),
                config.password())) {
            connection.isValid(1);
        } catch (java.sql.SQLException e) {
            if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw new IOException("the database " + database + " is in use: stop the server before restoring");
            }
            // Wrong credentials or similar: the file is not locked, so restoring over it is safe.
        }
    }

    /** The {@code .mv.db} file behind an embedded H2 URL such as {@code jdbc:h2:file:data/dialtone;...}. */
    static Path databaseFile(String jdbcUrl) throws IOException {
        String prefix = "jdbc:h2:file:";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IOException("restore covers the embedded H2 database (jdbc:h2:file:...); restore PostgreSQL with pg_restore");
        }
        int end = jdbcUrl.indexOf(';');
        return Path.of(jdbcUrl.substring(prefix.length(), end < 0 ? jdbcUrl.length() : end) + ".mv.db");
    }
}
