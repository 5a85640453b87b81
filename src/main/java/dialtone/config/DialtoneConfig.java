package dialtone.config;

import java.nio.file.Path;
import java.util.List;

/** The whole, validated configuration of one Dialtone instance; immutable once loaded. */
public record DialtoneConfig(
        Path dataDir,
        Database database,
        Listener phone,
        Listener admin,
        Tls tls,
        Path templatesDir,
        Sip sip,
        Smtp smtp,
        String portalUrl,
        Server server,
        Resync resync,
        Security security,
        Provisioning provisioning,
        Time time,
        Listener management) {

    public record Database(String url, String user, String password, int poolSize) {
        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password=***, poolSize=" + poolSize + "]";
        }
    }

    /**
     * An HTTPS listener. {@code legacyTls} also offers the TLS 1.2 CBC and static-RSA suites older phone
     * firmware needs (off by default: no forward secrecy with static RSA, CBC's padding-oracle history).
     */
    public record Listener(String host, int port, boolean legacyTls) {

        public Listener(String host, int port) {
            this(host, port, false);
        }
    }

    /** @param provider who does TLS: {@code openssl} (BoringSSL, bundled), {@code jdk}, or {@code auto} (OpenSSL where it loads) */
    public record Tls(Path cert, Path key, Path vendorRoots, List<String> extraNames, String provider) {}

    /**
     * Where phones register: the registrar (host phones send SIP to), its port, the SIP domain of the users'
     * addresses (empty: the registrar's), the transport, the voicemail number, and the authentication realm
     * the registrar challenges with (empty: the domain).
     */
    public record Sip(String registrar, int port, String domain, String transport, String voicemailNumber,
                      String realm) {

        public Sip(String registrar, int port, String domain, String transport, String voicemailNumber) {
            this(registrar, port, domain, transport, voicemailNumber, "");
        }

        /** The domain of the users' SIP addresses: {@code sip.domain}, or the registrar when that is empty. */
        public String effectiveDomain() {
            return domain.isBlank() ? registrar : domain;
        }

        /** Whether phones register as user@domain through the registrar as outbound proxy. */
        public boolean registrarIsProxy() {
            return !effectiveDomain().equalsIgnoreCase(registrar);
        }

        /** The realm of the registrar's Digest challenges: {@code sip.realm}, or the domain when that is empty. */
        public String effectiveRealm() {
            return realm.isBlank() ? effectiveDomain() : realm;
        }
    }

    /**
     * Phones' clocks: the NTP server written into every family's files, and whether phones are told to
     * prefer it (and the zone Dialtone writes) over what DHCP offers, where the vendor has such a switch.
     */
    public record Time(String ntpServer, boolean overrideDhcp) {}

    /**
     * Outgoing mail, and how the outbox retries: the delay starts at {@code retryInitialMillis}, doubles
     * per attempt up to {@code retryMaxMillis}, and the e-mail fails after {@code maxAttempts}.
     */
    public record Smtp(String host, int port, String from, String username, String password, String starttls,
                       int timeoutMillis, int retryInitialMillis, int retryMaxMillis, int maxAttempts) {
        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", from=" + from + ", username=" + username
                    + ", password=***, starttls=" + starttls + ", retryInitialMillis=" + retryInitialMillis
                    + ", retryMaxMillis=" + retryMaxMillis + ", maxAttempts=" + maxAttempts + "]";
        }
    }

    /** SIP NOTIFY resync: RFC 3261 timer T1, the pace of an account-wide resync, how long auto-resync gathers changes. */
    public record Resync(int t1Millis, int perSecond, int autoDelayMillis) {}

    /**
     * The phone side's templates and files: the operator's override folder (null when unset), how often
     * edits are looked for, the URL phones reach Dialtone at (empty: taken from the request's Host), the
     * upload caps, how many unknown devices are remembered, and how much memory rendered files may keep
     * (0: none).
     */
    public record Provisioning(Path templatesOverrideDir, int templatesReloadMillis, String publicUrl,
                               int uploadMaxFileBytes, int uploadMaxDeviceBytes, int discoveredMax,
                               int cacheMegabytes) {}

    /**
     * Request handling limits: worker threads and queue for blocking work, timeouts, and body size.
     * {@code maxUploadBytes} is the admin listener's larger limit for uploads (greetings, CSV imports);
     * every other admin route still refuses a body over {@code maxBodyBytes}.
     */
    public record Server(int workers, int queueSize, int handshakeTimeoutMillis, int requestTimeoutMillis,
                         int maxBodyBytes, int maxUploadBytes, List<String> trustedProxies) {}

    /**
     * Phone-side defences: the optional plain-HTTP phone listener (off unless {@code httpPort} is set),
     * how often the TLS files are checked for replacement, and the failure throttle's budget.
     *
     * @param httpPort the plain-HTTP phone listener's port, or -1 for none (the default)
     */
    public record Security(int httpPort, int tlsReloadMillis, Throttle throttle) {}

    /**
     * Failed phone requests per source address (and per MAC): past {@code slowAfter} answers are delayed,
     * past {@code refuseAfter} the source is refused for {@code refuseSeconds}; counts reset after
     * {@code windowSeconds} without failure. {@code maxTracked} bounds the memory used.
     */
    public record Throttle(int slowAfter, int refuseAfter, int windowSeconds, int refuseSeconds, int maxDelayMillis,
                           int maxTracked, int challengeBudget) {}
}
