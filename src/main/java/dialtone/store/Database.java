package dialtone.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dialtone.config.DialtoneConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** The connection pool, schema migrations and jOOQ entry point; H2 embedded or PostgreSQL. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final DSLContext dsl;
    private final InstanceNotices notices;
    // What to do once the transaction running on this thread has committed (nothing if it rolls back).
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();

    private Database(HikariDataSource dataSource, SQLDialect dialect, InstanceNotices notices) {
        this.dataSource = dataSource;
        this.notices = notices;
        this.dsl = DSL.using(dataSource, dialect,
                new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withExecuteLogging(false));
    }

    /** Opens the pool and brings the schema up to date with the Flyway scripts. */
    public static Database open(DialtoneConfig.Database config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("dialtone-db");
        hikari.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource);
            SQLDialect dialect = config.url().startsWith("jdbc:postgresql:") ? SQLDialect.POSTGRES : SQLDialect.H2;
            return new Database(dataSource, dialect, new InstanceNotices(config));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
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

    @Override
    public void close() {
        notices.close();
        dataSource.close();
    }
}
