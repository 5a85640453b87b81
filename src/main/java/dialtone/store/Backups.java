package dialtone.store;

import dialtone.config.DialtoneConfig;
import dialtone.core.Problem;
import dialtone.security.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.crypto.Mac;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Consistent online backups of the embedded H2 database ({@code BACKUP TO}, taken inside the running
 * server while it keeps serving) and their restore into a stopped server's data directory. A backup is sealed
 * with the data directory's secret.key ({@link BackupSeal}); every working file stays in a private folder
 * inside the data directory.
 */
public final class Backups {

    static final String DATABASE_FILE = "dialtone.mv.db";
    private final Database db;
    private final String jdbcUrl;
    private final Path dataDir;
    private final Supplier<Mac> seal;

    /** {@code seal} gives a fresh HMAC keyed for {@link BackupSeal#PURPOSE}. */
    public Backups(Database db, String jdbcUrl, Path dataDir, Supplier<Mac> seal) {
        this.db = db;
        this.jdbcUrl = jdbcUrl;
        this.dataDir = dataDir;
        this.seal = seal;
    }

    /** Copies the live database and returns it as a sealed zip holding one entry, {@code dialtone.mv.db}. */
    public byte[] take() throws IOException {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            throw new Problem(Problem.Kind.NOT_IMPLEMENTED,
                    "backups through Dialtone cover the embedded H2 database; back up PostgreSQL with pg_dump");
        }
        Path work = PrivateFiles.newDirectory(PrivateFiles.directory(dataDir), "backup-");
        try {
            Path copy = work.resolve("h2.zip");
            db.dsl().execute("BACKUP TO '" + copy.toAbsolutePath().toString().replace("'", "''") + "'");
            byte[] database;
            try (ZipFile zip = new ZipFile(copy.toFile())) {
                ZipEntry only = zip.stream().filter(e -> e.getName().endsWith(".mv.db")).findFirst()
                        .orElseThrow(() -> new IOException("H2 wrote a backup without a database file"));
                try (InputStream in = zip.getInputStream(only)) {
                    database = in.readAllBytes();
                }
            }
            return BackupSeal.zip(seal.get(), List.of(new BackupSeal.Entry(DATABASE_FILE, database)));
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Restores a backup over the H2 database of {@code config}; the server must be stopped. Everything happens
     * in a fresh private folder inside {@code dataDir} until the checks pass: the seal (before anything is
     * parsed), the zip's one expected entry, the stored schema (read as data, against our Flyway scripts) and the
     * Flyway history. Only then is the database opened, and moved into place. The database it replaces is kept
     * as {@code dialtone.mv.db.before-restore-<time>}.
     *
     * @return the path of the kept previous database, or null when there was none
     */
    public static Path restore(Path backup, DialtoneConfig.Database config, Path dataDir, Mac seal)
            throws IOException, SQLException {
        Path database = databaseFile(config.url());
        refuseIfInUse(config, database);
        Path staging = PrivateFiles.newDirectory(PrivateFiles.directory(dataDir), "restore-");
        try {
            // The checks read a private copy: the file cannot change between the seal check and the unpacking.
            Path copy = staging.resolve("backup.zip");
            Files.copy(backup, copy);
            BackupSeal.verify(copy, seal, backup);
            Path restored = staging.resolve("unpacked").resolve(DATABASE_FILE);
            unpackDatabase(copy, restored);
            String version = BackupSchema.requireOurs(restored, staging, config.user(), config.password());
            requireOurHistory(restored, version, config);
            Path kept = null;
            if (Files.exists(database)) {
                kept = database.resolveSibling(DATABASE_FILE + ".before-restore-" + System.currentTimeMillis());
                Files.move(database, kept);
            }
            Files.move(restored, database);
            return kept;
        } finally {
            deleteTree(staging);
        }
    }

    /** Writes the zip's one entry, {@code dialtone.mv.db}, to {@code target}; any other entry refuses the zip. */
    private static void unpackDatabase(Path zipFile, Path target) throws IOException {
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            if (!names.equals(List.of(DATABASE_FILE))) {
                throw new IOException("the backup must hold exactly one file, " + DATABASE_FILE + "; it holds "
                        + names.stream().limit(5).map(n -> "'" + n + "'").toList()
                        + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : ""));
            }
            PrivateFiles.directory(target.getParent());
            try (InputStream in = zip.getInputStream(zip.getEntry(DATABASE_FILE))) {
                PrivateFiles.create(target, new byte[0]);
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The Flyway history must be ours, applied without failure, and at the version the schema showed. */
    private static void requireOurHistory(Path restored, String version, DialtoneConfig.Database config)
            throws IOException {
        String name = restored.getFileName().toString();
        String url = "jdbc:h2:file:" + restored.resolveSibling(name.substring(0, name.length() - ".mv.db".length()))
                .toAbsolutePath() + ";DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE";
        Flyway flyway = Flyway.configure().dataSource(url, config.user(), config.password())
                .locations("classpath:db/migration").ignoreMigrationPatterns("*:pending").load();
        ValidateResult result;
        String applied;
        try {
            result = flyway.validateWithResult();
            var current = flyway.info().current();
            applied = current == null ? "none" : current.getVersion().getVersion();
        } catch (RuntimeException e) {
            throw new IOException("the backup's database does not open with this configuration's database.user "
                    + "and database.password, or its migration history cannot be read: " + e.getMessage(), e);
        }
        if (!result.validationSuccessful) {
            throw new IOException("the backup's migration history is not Dialtone's: " + result.getAllErrorMessages());
        }
        if (!version.equals(applied)) {
            throw new IOException("the backup's migration history says version " + applied
                    + " but its schema is version " + version);
        }
    }

    private static void refuseIfInUse(DialtoneConfig.Database config, Path database) throws IOException {
        if (!Files.exists(database)) {
            return;
        }
        try (var connection = DriverManager.getConnection(config.url() + ";IFEXISTS=TRUE", config.user(),
                config.password())) {
            connection.isValid(1);
        } catch (SQLException e) {
            if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
                throw new IOException("the database " + database + " is in use: stop the server before restoring");
            }
            // Wrong credentials or similar: the file is not locked, so restoring over it is safe.
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
