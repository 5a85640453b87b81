package dialtone.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dialtone.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** The violated constraint is read from the database's own report, never guessed from the values. */
class ConstraintsTest {

    @Test
    void namesTheViolatedConstraintOnH2() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:constraints;DATABASE_TO_LOWER=TRUE")) {
            assertNamesConstraint(DSL.using(c, SQLDialect.H2));
        }
    }

    @Test
    void namesTheViolatedConstraintOnPostgres() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestPostgres.configured(),
                TestPostgres.URL_VARIABLE + " is not set; PostgreSQL checks skipped");
        try (TestPostgres pg = TestPostgres.create(); Connection c = pg.connect()) {
            assertNamesConstraint(DSL.using(c, SQLDialect.POSTGRES));
        }
    }

    private static void assertNamesConstraint(DSLContext dsl) {
        dsl.execute("create table pair (id integer not null primary key, a varchar(40) not null, b varchar(40) not null,"
                + " constraint pair_a unique (a), constraint pair_b unique (b))");
        dsl.execute("insert into pair values (1, 'x', 'pair_a')");

        // The offending value spells the other constraint's name: only the reported name may count.
        var onB = catchThrowableOfType(DataAccessException.class,
                () -> dsl.execute("insert into pair values (2, 'pair_a', 'pair_a')"));
        var onA = catchThrowableOfType(DataAccessException.class,
                () -> dsl.execute("insert into pair values (3, 'x', 'pair_b')"));
        var notUnique = catchThrowableOfType(DataAccessException.class,
                () -> dsl.execute("insert into pair values (4, null, 'z')"));

        assertThat(Constraints.uniqueViolation(onB)).contains("pair_b");
        assertThat(Constraints.uniqueViolation(onA)).contains("pair_a");
        assertThat(Constraints.uniqueViolation(notUnique)).isEmpty();
        dsl.execute("drop table pair");
    }
}
