package dialtone.store;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.exception.DataAccessException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Tells which unique constraint a failed write violated, on H2 and PostgreSQL alike. */
public final class Constraints {

    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * H2 quotes the constraint then its index ({@code "public.app_user_extension INDEX public.app_user_extension_INDEX_4
     * ON ..."}; older versions only the index). Only that leading name is read, never the rest of the message,
     * which quotes the offending values.
     */
    private static final Pattern H2_INDEX = Pattern.compile("^[^\"]*\"(?:\\w+\\.)?(\\w+?)(?:_index_\\w+)? (?:index|on) ");

    private Constraints() {}

    /**
     * The violated constraint's name (lower case) if the failure is a unique violation; empty name
     * when the database did not say which (callers then fall back to their most likely conflict).
     */
    public static Optional<String> uniqueViolation(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return Optional.of(constraintName(sql));
            }
        }
        return Optional.empty();
    }

    private static String constraintName(SQLException sql) {
        if (sql instanceof PSQLException psql) {
            // PostgreSQL reports the constraint by name; its message would also carry the key's values.
            ServerErrorMessage server = psql.getServerErrorMessage();
            return server == null || server.getConstraint() == null ? "" : server.getConstraint().toLowerCase(Locale.ROOT);
        }
        String message = sql instanceof org.h2.jdbc.JdbcException h2 ? h2.getOriginalMessage() : sql.getMessage();
        Matcher m = H2_INDEX.matcher(String.valueOf(message).toLowerCase(Locale.ROOT));
        return m.find() ? m.group(1) : "";
    }
}
