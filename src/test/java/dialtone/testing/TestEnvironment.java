package dialtone.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The DIALTONE_* variables every test server starts with, in-process or as the real jar. */
final class TestEnvironment {

    private TestEnvironment() {
    }

    /**
     * Data, certificates and vendor roots under {@code dir}; every listener on loopback and a free port (another
     * server on this machine may hold the defaults); a registrar that is not the placeholder; four workers.
     */
    static Map<String, String> under(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("DIALTONE_DATA_DIR", dir.resolve("data").toString());
        env.put("DIALTONE_PHONE_HOST", "127.0.0.1");
        env.put("DIALTONE_PHONE_PORT", "0");
        env.put("DIALTONE_ADMIN_PORT", "0");
        env.put("DIALTONE_PBX_PORT", "0");
        env.put("DIALTONE_PORTAL_HOST", "127.0.0.1");
        env.put("DIALTONE_PORTAL_PORT", "0");
        env.put("DIALTONE_MANAGEMENT_PORT", "0");
        env.put("DIALTONE_TLS_CERT", dir.resolve("certs/server.crt").toString());
        env.put("DIALTONE_TLS_KEY", dir.resolve("certs/server.key").toString());
        env.put("DIALTONE_TLS_VENDOR_ROOTS", dir.resolve("vendors").toString());
        env.put("DIALTONE_SIP_REGISTRAR", "sip.test.example");
        env.put("DIALTONE_SERVER_WORKERS", "4");
        return env;
    }
}
