package dialtone.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dialtone.config.DialtoneConfig;
import dialtone.security.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;

/** The connection pool, schema migrations and jOOQ entry point; H2 embedded or PostgreSQL. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final DSLContext dsl;
    private final InstanceNotices notices;
    // The newest migration, as recorded right after this build applied its scripts at start-up.
    private final String latestMigration;
    // What to do once the transaction running on this thread has committed (nothing if it rolls back).
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();

    private Database(HikariDataSource dataSource, SQLDialect dialect, DiskReserve reserve, InstanceNotices notices) {
        this.dataSource = dataSource;
        this.notices = notices;
        this.dsl = DSL.using(new DefaultConfiguration().set(dataSource).set(dialect)
                .set(new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withExecuteLogging(false))
                .set(reserve == null ? new ExecuteListener[] {new DatabaseFailures()}
                        : new ExecuteListener[] {reserve, new DatabaseFailures()}));
        this.latestMigration = String.valueOf(dsl.fetchValue("select version from flyway_schema_history where"
                + " installed_rank = (select max(installed_rank) from flyway_schema_history)"));
    }

    /** Opens the pool and brings the schema up to date with the Flyway scripts. */
    public static Database open(DialtoneConfig.Database config) {
        return open(config, DiskReserve.RESERVE_BYTES);
    }

    /** As {@link #open(DialtoneConfig.Database)}, refusing writes when the disk has less than {@code reserveBytes} free. */
    static Database open(DialtoneConfig.Database config, long reserveBytes) {
        String url = jdbcUrl(config.url());
        boolean durableFile = !url.equals(config.url());
        if (durableFile) {
            // Migrations on the file as H2 writes it by default: a new database's few hundred schema commits would
            // each wait for the device. H2 forces the file when the migration's last connection closes it.
            Flyway.configure().dataSource(config.url(), config.user(), config.password())
                    .locations("classpath:db/migration").load().migrate();
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("dialtone-db");
        // A database that is down or unreachable is answered 503 within about a second, not after ten.
        hikari.setConnectionTimeout(1_000);
        hikari.setValidationTimeout(500);
        AtomicReference<HikariDataSource> pool = new AtomicReference<>();
        hikari.setExceptionOverride(new DatabaseFailures.EvictBroken(() -> pool.get().getHikariPoolMXBean()
                .softEvictConnections()));
        if (config.url().startsWith("jdbc:postgresql:")) {
            // Give up connecting after 2 s, and on a connection silent for 10 s (a host gone without a word, or a
            // lock held that long); a URL that sets these itself wins.
            hikari.addDataSourceProperty("connectTimeout", "2");
            hikari.addDataSourceProperty("socketTimeout", "10");
        }
        HikariDataSource dataSource = new HikariDataSource(hikari);
        pool.set(dataSource);
        try {
            if (!durableFile) {
                migrate(dataSource);
            }
            restrictEmbeddedFile(config.url());
            SQLDialect dialect = config.url().startsWith("jdbc:postgresql:") ? SQLDialect.POSTGRES : SQLDialect.H2;
            return new Database(dataSource, dialect, DiskReserve.forUrl(config.url(), reserveBytes),
                    new InstanceNotices(config));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** H2 creates its file with the process's umask; the database holds hashes and sealed secrets: 0600. */
    private static void restrictEmbeddedFile(String url) {
        try {
            Path file = Backups.databaseFile(url);
            if (Files.exists(file)) {
                PrivateFiles.restrict(file);
            }
        } catch (IOException e) {
            // Not an embedded file database (PostgreSQL, in-memory H2): nothing on disk to restrict.
        }
    }

    /**
     * The URL the pool opens. An embedded H2 file ({@code jdbc:h2:file:}) is made durable: {@code WRITE_DELAY=0}
     * (unless the URL sets its own) makes H2 write every commit to its file before the commit returns, instead
     * of about once a second in the background, and {@link SyncedFilePath} forces each such write to the
     * device. So an acknowledged change survives {@code kill -9} and a power cut alike. Other URLs are used as
     * they are (PostgreSQL's commits are durable by default, with {@code synchronous_commit=on}).
     */
    public static String jdbcUrl(String configured) {
        String file = "jdbc:h2:file:";
        if (!configured.startsWith(file)) {
            return configured;
        }
        SyncedFilePath.register();
        String url = "jdbc:h2:" + SyncedFilePath.SCHEME + ":" + configured.substring(file.length());
        return url.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=") ? url : url + ";WRITE_DELAY=0";
    }

    static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public DSLContext dsl() {
        return dsl;
    }

    /** Notices to and from the other instances sharing this database (PostgreSQL only). */
    public InstanceNotices notices() {
        return notices;
    }

    /**
     * Runs the work in one transaction; inside, use only the given context. Once it has committed, runs what
     * the work registered with {@link #afterCommit}.
     */
    public <T> T inTransaction(Function<DSLContext, T> work) {
        List<Runnable> outer = afterCommit.get();
        List<Runnable> committed = new ArrayList<>();
        afterCommit.set(committed);
        T result;
        try {
            result = dsl.transactionResult(cfg -> work.apply(cfg.dsl()));
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e);
        } finally {
            if (outer == null) {
                afterCommit.remove();
            } else {
                afterCommit.set(outer);
            }
        }
        committed.forEach(Runnable::run);
        return result;
    }

    /** Runs {@code action} once the transaction of this thread commits; at once when none is running. */
    public void afterCommit(Runnable action) {
        List<Runnable> pending = afterCommit.get();
        if (pending == null) {
            action.run();
        } else {
            pending.add(action);
        }
    }

    /** Null when the database answers a trivial query within {@code seconds}, else why not. */
    public String unhealthy(int seconds) {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            return connection.isValid(seconds) ? null : "the database did not answer within " + seconds + " s";
        } catch (java.sql.SQLException | RuntimeException e) {
            return "the database is not reachable: " + e.getClass().getSimpleName();
        }
    }

    /**
     * Null when the newest migration recorded in the database is the newest this build ships, and it succeeded;
     * else what is wrong (a restored older backup, a failed migration, a newer schema from another instance).
     */
    public String schemaMismatch() {
        var newest = dsl.fetchOne("select version, success from flyway_schema_history where installed_rank ="
                + " (select max(installed_rank) from flyway_schema_history)");
        if (newest == null) {
            return "no migration has been applied";
        }
        String version = String.valueOf(newest.get(0));
        boolean success = Boolean.TRUE.equals(newest.get(1, Boolean.class));
        return success && version.equals(latestMigration) ? null
                : "schema at migration " + version + (success ? "" : " (failed)") + ", this build expects "
                + latestMigration;
    }

    /** Publishes the connection pool's gauges and timings (Hikari's own) to {@code registry}. */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        dataSource.setMetricRegistry(registry);
    }

    @Override
    public void close() {
        notices.close();
        dataSource.close();
    }
}
