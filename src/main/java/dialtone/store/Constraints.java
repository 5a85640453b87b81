package dialtone.store;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.jooq.exception.DataAccessException;

/** Tells which unique constraint a failed write violated, on H2 and PostgreSQL alike. */
public final class Constraints {

    private Constraints() {}

    /** The violated constraint's name (lower case) if the failure is a unique violation. */
    public static Optional<String> uniqueViolation(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return Optional.of(String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }
}
