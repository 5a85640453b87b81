package dialtone.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dialtone.config.DialtoneConfig;
import dialtone.security.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("dialtone-db");
        hikari.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource);
            restrictEmbeddedFile(config.url());
            SQLDialect dialect = config.url().startsWith("jdbc:postgresql:") ? SQLDialect.POSTGRES : SQLDialect.H2;
            return new Database(dataSource, dialect);
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
