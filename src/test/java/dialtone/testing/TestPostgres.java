package dialtone.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL schema on the server named by {@code DIALTONE_TEST_POSTGRES_URL} (with
 * {@code _USER} and {@code _PASSWORD}), so every run starts from nothing and leaves nothing behind.
 */
public final class TestPostgres implements AutoCloseable {

    public static final String URL_VARIABLE = "DIALTONE_TEST_POSTGRES_URL";

    private final String baseUrl;
    private final String user;
    private final String password;
    private final String schema;

    private TestPostgres(String baseUrl, String user, String password) throws SQLException {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.schema = "dialtone_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        execute("create schema " + schema);
    }

    /** Whether the environment names a PostgreSQL server to test against. */
    public static boolean configured() {
        String url = System.getenv(URL_VARIABLE);
        return url != null && !url.isBlank();
    }

    /**
     * Whether the environment also says how to stop and start that server ({@code DIALTONE_TEST_POSTGRES_STOP}
     * and {@code _START}, shell commands that return once it is down or up; {@code .ci/run} sets them).
     */
    public static boolean controllable() {
        return configured() && System.getenv("DIALTONE_TEST_POSTGRES_STOP") != null
                && System.getenv("DIALTONE_TEST_POSTGRES_START") != null;
    }

    /** Stops the whole server (every schema on it); returns once it is down. */
    public static void stopServer() throws Exception {
        run(System.getenv("DIALTONE_TEST_POSTGRES_STOP"));
    }

    /** Starts the server again; returns once it accepts connections. */
    public static void startServer() throws Exception {
        run(System.getenv("DIALTONE_TEST_POSTGRES_START"));
    }

    private static void run(String command) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("'" + command + "' failed: " + output);
        }
    }

    /** A new empty schema on the configured server; call only when {@link #configured()}. */
    public static TestPostgres create() throws SQLException {
        return new TestPostgres(System.getenv(URL_VARIABLE),
                System.getenv().getOrDefault("DIALTONE_TEST_POSTGRES_USER", "dialtone"),
                System.getenv().getOrDefault("DIALTONE_TEST_POSTGRES_PASSWORD", ""));
    }

    /** The JDBC URL whose connections work in this schema only. */
    public String url() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public String schema() {
        return schema;
    }

    /** DIALTONE_* overrides that point a {@link TestDialtone} at this schema. */
    public Map<String, String> overrides() {
        return Map.of("DIALTONE_DATABASE_URL", url(),
                "DIALTONE_DATABASE_USER", user,
                "DIALTONE_DATABASE_PASSWORD", password);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user, password);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(baseUrl, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        execute("drop schema " + schema + " cascade");
    }
}
