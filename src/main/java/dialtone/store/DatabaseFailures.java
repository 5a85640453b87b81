package dialtone.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import dialtone.core.Problem;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Set;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

/**
 * Tells a database that cannot answer (down, unreachable, shut down, out of connections) and a disk that is full
 * from every other failure, and turns them into the domain's {@link Problem}s: {@code UNAVAILABLE} (answered
 * 503 with Retry-After) and {@code NO_SPACE} (507). Anything else stays what it was (a bug: 500).
 */
public final class DatabaseFailures implements ExecuteListener {

    private static final String UNAVAILABLE = "the database is not reachable; retry shortly";
    private static final String NO_SPACE = "the database cannot store more: its disk is full; nothing was changed";

    // H2: 90028 I/O error, 90098 database closed (after an I/O failure), 90121 called at shutdown,
    // 90067 connection broken, 90020 database in use (while reopening), 90030 file corrupted (a failed write).
    private static final Set<Integer> H2_UNAVAILABLE = Set.of(90028, 90098, 90121, 90067, 90020, 90030);
    // PostgreSQL: 08xxx connection exceptions, 57P01-57P03 shutting down / cannot connect now, 53300 too many
    // connections; 53100 disk full.
    // 57014 is a statement cancelled by its timeout.
    private static final Set<String> PG_UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53300", "57014");

    /** The domain problem this failure is, or null when it is not the database's absence or a full disk. */
    public static Problem problemOf(Throwable failure) {
        boolean unavailable = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Problem problem) {
                return problem;
            }
            if (isDiskFull(t)) {
                return new Problem(Problem.Kind.NO_SPACE, NO_SPACE);
            }
            unavailable |= isUnavailable(t);
        }
        return unavailable ? new Problem(Problem.Kind.UNAVAILABLE, UNAVAILABLE) : null;
    }

    /** {@code failure} as the domain problem it is, or unchanged. */
    public static RuntimeException translate(RuntimeException failure) {
        Problem problem = problemOf(failure);
        return problem == null ? failure : problem;
    }

    private static boolean isDiskFull(Throwable t) {
        if (t instanceof SQLException sql && "53100".equals(sql.getSQLState())) {
            return true;
        }
        String message = t.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("no space left on device");
    }

    private static boolean isUnavailable(Throwable t) {
        if (t instanceof SQLTransientConnectionException || t instanceof SQLTimeoutException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            return state != null && (state.startsWith("08") || PG_UNAVAILABLE.contains(state))
                    || sql.getClass().getName().startsWith("org.h2.") && H2_UNAVAILABLE.contains(sql.getErrorCode());
        }
        return t.getClass().getName().equals("org.h2.mvstore.MVStoreException");
    }

    @Override
    public void exception(ExecuteContext ctx) {
        RuntimeException failure = ctx.exception();
        if (failure != null) {
            Problem problem = problemOf(failure);
            if (problem != null) {
                ctx.exception(problem);
            }
        }
    }

    /**
     * Tells the pool to drop a connection whose database is gone. When H2 has closed its database (it does after
     * a failed write, e.g. on a full disk), every connection of the pool is retired: H2 forgets a closed database
     * only once no connection holds it, and the next connection then opens the file again (once it can).
     * Hikari already drops PostgreSQL connections on 08xxx and 57P0x.
     */
    static final class EvictBroken implements SQLExceptionOverride {
        private static final int H2_DATABASE_CLOSED = 90098;
        private final Runnable retireAll;

        EvictBroken(Runnable retireAll) {
            this.retireAll = retireAll;
        }

        @java.lang.Override
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
            if (problemOf(e) == null) {
                return SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
            if (e.getErrorCode() == H2_DATABASE_CLOSED && e.getClass().getName().startsWith("org.h2.")) {
                retireAll.run();
            }
            return SQLExceptionOverride.Override.MUST_EVICT;
        }
    }
}
