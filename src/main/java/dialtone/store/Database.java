package dialtone.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dialtone.config.DialtoneConfig;
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

    private Database(HikariDataSource dataSource, SQLDialect dialect) {
        this.dataSource = dataSource;
        this.dsl = DSL.using(dataSource, dialect,
                new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER).withExecuteLogging(false));
    }

    /** Opens the pool and brings the schema up to date with the Flyway scripts. */
    public static Database open(DialtoneConfig.Database config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl(config.url()));
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("dialtone-db");
        hikari.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource);
            SQLDialect dialect = config.url().startsWith("jdbc:postgresql:") ? SQLDialect.POSTGRES : SQLDialect.H2;
            return new Database(dataSource, dialect);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * The URL the pool opens. An embedded H2 file ({@code jdbc:h2:file:}) is made durable: {@code WRITE_DELAY=0}
     * (unless the URL sets its own) makes H2 write every commit to its file before the commit returns, instead
     * of about once a second in the background, and {@link SyncedFilePath} forces each such write to the
     * device. So an acknowledged change survives {@code kill -9} and a power cut alike. Other URLs are used as
     * they are (PostgreSQL's commits are durable by default, with {@code synchronous_commit=on}).
     */
    static String jdbcUrl(String configured) {
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

    /** Runs the work in one transaction; inside, use only the given context. */
    public <T> T inTransaction(Function<DSLContext, T> work) {
        return dsl.transactionResult(cfg -> work.apply(cfg.dsl()));
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
