package dialtone.store;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.config.DialtoneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableUrlTest {

    @TempDir
    Path dir;

    @Test
    void anEmbeddedFileIsOpenedWithForcedWritesAndNoWriteDelay() {
        assertThat(Database.jdbcUrl("jdbc:h2:file:/srv/data/dialtone;DATABASE_TO_LOWER=TRUE"))
                .isEqualTo("jdbc:h2:dialtone-synced:/srv/data/dialtone;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0");
    }

    @Test
    void anOperatorsOwnWriteDelayIsKept() {
        assertThat(Database.jdbcUrl("jdbc:h2:file:/srv/d;write_delay=100;DATABASE_TO_LOWER=TRUE"))
                .isEqualTo("jdbc:h2:dialtone-synced:/srv/d;write_delay=100;DATABASE_TO_LOWER=TRUE");
    }

    @Test
    void otherDatabasesAreOpenedAsConfigured() {
        assertThat(Database.jdbcUrl("jdbc:h2:mem:x;DATABASE_TO_LOWER=TRUE")).isEqualTo("jdbc:h2:mem:x;DATABASE_TO_LOWER=TRUE");
        assertThat(Database.jdbcUrl("jdbc:postgresql://db/dialtone")).isEqualTo("jdbc:postgresql://db/dialtone");
    }

    @Test
    void theDurableDatabaseLivesInTheFileTheUrlNamesAndSurvivesReopening() {
        String url = "jdbc:h2:file:" + dir.resolve("dialtone").toAbsolutePath() + ";DATABASE_TO_LOWER=TRUE";
        DialtoneConfig.Database config = new DialtoneConfig.Database(url, "dialtone", "", 2);
        try (Database db = Database.open(config)) {
            db.inTransaction(tx -> tx.execute("insert into account (id, name, created_at) values ('a1', 'Acme', current_timestamp)"));
        }
        assertThat(Files.exists(dir.resolve("dialtone.mv.db"))).isTrue();
        try (Database db = Database.open(config)) {
            assertThat(db.dsl().fetchValue("select name from account where id = 'a1'")).isEqualTo("Acme");
        }
    }
}
