package dialtone.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.config.DialtoneConfig;
import dialtone.core.Problem;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFullTest {

    @TempDir
    Path dir;

    @AfterEach
    void spaceBack() {
        FullDiskFilePath.full = false;
    }

    @Test
    void belowTheReserveAWriteIsRefusedAsNoSpaceBeforeH2TriesItAndReadsGoOn() {
        DialtoneConfig.Database config = new DialtoneConfig.Database("jdbc:h2:file:" + dir.resolve("dialtone")
                + ";DATABASE_TO_LOWER=TRUE", "dialtone", "", 2);
        try (Database db = Database.open(config)) {
            insertAccount(db, "a1");
        }
        try (Database db = Database.open(config, Long.MAX_VALUE)) {
            assertThatThrownBy(() -> insertAccount(db, "a2")).isInstanceOfSatisfying(Problem.class,
                    p -> assertThat(p.kind()).isEqualTo(Problem.Kind.NO_SPACE));
            assertThatThrownBy(() -> db.dsl().execute("delete from account")).isInstanceOf(Problem.class);
            assertThat(db.dsl().fetchValue("select count(*) from account")).isEqualTo(1L);
        }
    }

    @Test
    void aWriteThatFailsOnAFullDiskIsNoSpaceAndTheDatabaseWorksAgainOnceThereIsSpace() {
        FullDiskFilePath.register();
        DialtoneConfig.Database config = new DialtoneConfig.Database("jdbc:h2:test-full-disk:" + dir.resolve("dialtone")
                + ";WRITE_DELAY=0;DATABASE_TO_LOWER=TRUE", "dialtone", "", 4);
        try (Database db = Database.open(config)) {
            insertAccount(db, "before");
            FullDiskFilePath.full = true;

            // H2 closes its database when a write fails; every request says so until there is space again.
            assertThatThrownBy(() -> insertAccount(db, "while-full")).isInstanceOfSatisfying(Problem.class,
                    p -> assertThat(p.kind()).isEqualTo(Problem.Kind.NO_SPACE));
            assertThatThrownBy(() -> db.dsl().fetchValue("select count(*) from account")).isInstanceOf(Problem.class);

            FullDiskFilePath.full = false;
            // The pool has retired every connection to the closed database; a new one opens the file again.
            insertAccount(db, "after");
            assertThat(db.dsl().fetch("select id from account order by id").getValues(0, String.class))
                    .containsExactly("after", "before");
        }
    }

    private static void insertAccount(Database db, String id) {
        db.inTransaction(tx -> tx.execute("insert into account (id, name, created_at) values (?, 'Acme', current_timestamp)", id));
    }
}
