package dialtone.testing;

import dialtone.Dialtone;
import dialtone.config.ConfigLoader;
import dialtone.config.DialtoneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Dialtone on ports 0 with its own data directory, H2 file database and generated certificate.
 * {@link #restart()} stops and starts it again on the same data.
 */
public final class TestDialtone implements AutoCloseable {

    private final Path dir;
    private final Map<String, String> env;
    private final TestPostgres postgres;
    private Dialtone dialtone;
    private DialtoneConfig config;

    public TestDialtone(Path dir) throws Exception {
        this(dir, Map.of());
    }

    /** {@code overrides} are DIALTONE_* environment variables on top of the test defaults. */
    public TestDialtone(Path dir, Map<String, String> overrides) throws Exception {
        this.dir = dir;
        this.env = TestEnvironment.under(dir);
        // Tests only ever send a NOTIFY to this machine.
        env.put("DIALTONE_RESYNC_ALLOWED_NETWORKS", "127.0.0.1/32");
        // Manual cross-check: DIALTONE_TEST_ALL_ON_POSTGRES=true runs every server test on its own PostgreSQL schema.
        postgres = "true".equals(System.getenv("DIALTONE_TEST_ALL_ON_POSTGRES")) && TestPostgres.configured()
                && !overrides.containsKey("DIALTONE_DATABASE_URL") ? TestPostgres.create() : null;
        if (postgres != null) {
            env.putAll(postgres.overrides());
        }
        env.putAll(overrides);
        try {
            start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void start() throws Exception {
        config = ConfigLoader.load(null, env);
        dialtone = Dialtone.start(config);
    }

    public void restart() throws Exception {
        restart(Map.of());
    }

    /** Stops, then starts again on the same data with these DIALTONE_* variables changed. */
    public void restart(Map<String, String> changes) throws Exception {
        dialtone.close();
        env.putAll(changes);
        start();
    }

    public DialtoneConfig config() {
        return config;
    }

    public Path dir() {
        return dir;
    }

    public int phonePort() {
        return dialtone.phonePort();
    }

    /** The plain-HTTP phone listener's port, -1 when off (the default). */
    public int phoneHttpPort() {
        return dialtone.phoneHttpPort();
    }

    /** A phone client presenting a device certificate. */
    public HttpsClient phone(javax.net.ssl.SSLContext context) {
        return new HttpsClient("https://127.0.0.1:" + phonePort(), context);
    }

    public int portalPort() {
        return dialtone.portalPort();
    }

    /** The portal's address, as the e-mails give it. */
    public String portalUrl() {
        return dialtone.portalUrl();
    }

    public int managementPort() {
        return dialtone.managementPort();
    }

    /** The running instance itself. */
    public Dialtone dialtone() {
        return dialtone;
    }

    public int adminPort() {
        return dialtone.adminPort();
    }

    /** The SIP servers' directory listener's port. */
    public int pbxPort() {
        return dialtone.pbxPort();
    }

    public java.util.List<dialtone.server.Router.Description> adminRoutes() {
        return dialtone.adminRoutes();
    }

    public String operatorToken() throws IOException {
        return Files.readString(config.dataDir().resolve("operator.token")).trim();
    }

    public Path certificate() {
        return config.tls().cert();
    }

    public HttpsClient phone() throws Exception {
        return new HttpsClient("https://127.0.0.1:" + phonePort(), certificate());
    }

    public AdminClient admin() throws Exception {
        return new AdminClient(new HttpsClient("https://127.0.0.1:" + adminPort(), certificate()), operatorToken());
    }

    @Override
    public void close() {
        if (dialtone != null) {
            dialtone.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("could not drop test schema " + postgres.schema(), e);
            }
        }
    }
}
