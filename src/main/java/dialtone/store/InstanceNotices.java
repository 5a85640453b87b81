package dialtone.store;

import dialtone.config.DialtoneConfig;
import dialtone.core.DaemonThreads;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices between the Dialtone instances that share one PostgreSQL database: {@link #send} queues a notice
 * inside a transaction ({@code pg_notify}: delivered to the others only if and when it commits), and
 * {@link #listen} hears the others' on a connection of its own ({@code LISTEN}), typically within
 * milliseconds of their commit. The channel is named after the schema, so deployments sharing a server do
 * not hear each other. On H2 (embedded: one instance) both do nothing.
 */
public final class InstanceNotices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceNotices.class);
    private static final int POLL_MILLIS = 500;
    private static final long RETRY_MILLIS = 1000;
    /** A connection that silently died (no reset) is found by a query this often, answered within the timeout. */
    private static final long HEARTBEAT_MILLIS = 5000;
    private static final String SOCKET_TIMEOUT_SECONDS = "10";

    private final DialtoneConfig.Database config;
    private final boolean shared;
    private final String self = UUID.randomUUID().toString();
    private volatile String channel;
    private volatile boolean closed;
    private Thread listener;

    InstanceNotices(DialtoneConfig.Database config) {
        this.config = config;
        this.shared = config.url().startsWith("jdbc:postgresql:");
    }

    /** Whether other instances may share the database (PostgreSQL), so that their changes must be heard. */
    public boolean shared() {
        return shared;
    }

    /** Inside {@code tx}: tells the other instances {@code notice} once the transaction commits. */
    public void send(DSLContext tx, String notice) {
        if (shared) {
            tx.resultQuery("select pg_notify({0}, {1})", channel(tx), self + "|" + notice).fetch();
        }
    }

    /**
     * Hears the other instances' notices from now on. {@code hearing} is told false when they may go unheard
     * (the listening connection broke; nothing read from the database may be kept meanwhile) and true once
     * they are heard again (what was kept before may be stale). Returns at once on H2.
     */
    public synchronized void listen(Consumer<String> notices, Consumer<Boolean> hearing) {
        if (!shared || listener != null) {
            return;
        }
        hearing.accept(false);
        Connection first = null;
        try {
            first = open();
            hearing.accept(true);
        } catch (SQLException e) {
            LOG.warn("cannot listen to other instances' changes yet (phone files are not kept meanwhile): {}",
                    e.getMessage());
        }
        Connection initial = first;
        listener = DaemonThreads.named("dialtone-instance-notices").newThread(() -> run(initial, notices, hearing));
        listener.start();
    }

    private void run(Connection initial, Consumer<String> notices, Consumer<Boolean> hearing) {
        Connection connection = initial;
        long lastHeartbeat = System.currentTimeMillis();
        while (!closed) {
            try {
                if (connection == null) {
                    connection = open();
                    hearing.accept(true);
                    LOG.info("listening to other instances' changes again");
                }
                if (System.currentTimeMillis() - lastHeartbeat > HEARTBEAT_MILLIS) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("select 1");
                    }
                    lastHeartbeat = System.currentTimeMillis();
                }
                PGNotification[] received = connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (received != null) {
                    for (PGNotification n : received) {
                        String payload = n.getParameter();
                        int bar = payload.indexOf('|');
                        if (bar > 0 && !payload.substring(0, bar).equals(self)) {
                            notices.accept(payload.substring(bar + 1));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                hearing.accept(false);
                LOG.warn("lost the other instances' changes (phone files are not kept until heard again): {}",
                        e.getMessage());
                closeQuietly(connection);
                connection = null;
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException stop) {
                    break;
                }
            }
        }
        closeQuietly(connection);
    }

    private Connection open() throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", config.user());
        properties.setProperty("password", config.password());
        properties.setProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        Connection connection = DriverManager.getConnection(config.url(), properties);
        try (Statement s = connection.createStatement()) {
            var rs = s.executeQuery("select current_schema()");
            rs.next();
            channel = "dialtone_changes_" + rs.getString(1);
            s.execute("listen \"" + channel.replace("\"", "\"\"") + "\"");
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private String channel(DSLContext tx) {
        String known = channel;
        if (known == null) {
            known = "dialtone_changes_" + tx.fetchValue("select current_schema()");
            channel = known;
        }
        return known;
    }

    private static void closeQuietly(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread running;
        synchronized (this) {
            running = listener;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
