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
        Portal portal,
        Server server,
        Resync resync,
        Security security,
        Provisioning provisioning,
        Time time,
        Listener management,
        Pbx pbx,
        Logging logging) {

    /** The link in users' e-mails: {@code portal.url}, or else the portal listener's own address. */
    public String portalUrl() {
        return portal.url();
    }

    /**
     * The portal's HTTPS listener and sessions. {@code url} is empty when not configured: the portal's own
     * address is used once its listener is bound. Login failures per username and per source are slowed past
     * {@code loginSlowAfter} and refused past {@code loginRefuseAfter} for {@code loginRefuseMinutes}.
     */
    public record Portal(String host, int port, String url, int idleMinutes, int absoluteHours, int loginSlowAfter,
                         int loginRefuseAfter, int loginRefuseMinutes) {}

    /**
     * One warning for each shipped placeholder still in use: phones, e-mails or links would point at
     * example.com instead of the operator's own servers.
     */
    public List<String> placeholdersInUse() {
        List<String> warnings = new java.util.ArrayList<>();
        if (sip.registrar().equals(ConfigLoader.PLACEHOLDER_REGISTRAR)) {
            warnings.add(placeholder("sip.registrar", sip.registrar(), "phones will register to a server that is not yours"));
        }
        if (smtp.from().equals(ConfigLoader.PLACEHOLDER_FROM)) {
            warnings.add(placeholder("smtp.from", smtp.from(), "welcome e-mails will come from an address that is not yours"));
        }
        return warnings;
    }

    private static String placeholder(String key, String value, String consequence) {
        return "placeholder in use: " + key + " is " + value + ": " + consequence + "; set " + key + " ("
                + Settings.envName(key) + ")";
    }

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

    /**
     * The SIP servers' directory: its own HTTPS listener ({@code port} -1: off) and its own workers, so that a
     * registration storm cannot starve phone provisioning or the admin API; {@code exposePasswords} adds the
     * plain SIP password to answers (off: only digest hashes leave Dialtone).
     */
    public record Pbx(String host, int port, int workers, int queueSize, boolean exposePasswords) {}

    /**
     * @param provider who does TLS: {@code openssl} (BoringSSL, bundled), {@code jdk}, or {@code auto} (OpenSSL where it loads)
     * @param sessionCacheSize sessions each HTTPS listener keeps for resumption
     */
    public record Tls(Path cert, Path key, Path vendorRoots, List<String> extraNames, String provider,
                      int sessionCacheSize) {}

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
                       int timeoutMillis, int retryInitialMillis, int retryMaxMillis, int maxAttempts,
                       int welcomeResendIntervalMillis, int welcomesPerDay) {
        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", from=" + from + ", username=" + username
                    + ", password=***, starttls=" + starttls + ", retryInitialMillis=" + retryInitialMillis
                    + ", retryMaxMillis=" + retryMaxMillis + ", maxAttempts=" + maxAttempts
                    + ", welcomeResendIntervalMillis=" + welcomeResendIntervalMillis
                    + ", welcomesPerDay=" + welcomesPerDay + "]";
        }
    }

    /**
     * SIP NOTIFY resync: RFC 3261 timer T1, the pace of an account-wide resync, how long auto-resync gathers
     * changes, the networks NOTIFYs may go to, and how many NOTIFYs one account may have waiting at once.
     */
    public record Resync(int t1Millis, int perSecond, int autoDelayMillis, List<String> allowedNetworks,
                         int waitsPerAccount) {
        /** Private networks, where desk phones usually are: RFC 1918, carrier-grade NAT and IPv6 unique-local. */
        public static final List<String> DEFAULT_ALLOWED_NETWORKS =
                List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7");
    }

    /**
     * The phone side's templates and files: the operator's override folder (null when unset), how often
     * edits are looked for, the URL phones reach Dialtone at (empty: taken from the request's Host), the
     * upload caps (bytes per file, bytes and files per device), how many unknown devices are remembered, and
     * how much memory rendered files may keep (0: none).
     */
    public record Provisioning(Path templatesOverrideDir, int templatesReloadMillis, String publicUrl,
                               int uploadMaxFileBytes, int uploadMaxDeviceBytes, int uploadMaxDeviceFiles,
                               int discoveredMax, int cacheMegabytes) {}

    /**
     * Request handling limits: worker threads and queue for blocking work, timeouts, and body size.
     * {@code maxUploadBytes} is the admin listener's larger limit for uploads (greetings, CSV imports);
     * every other admin route still refuses a body over {@code maxBodyBytes}. {@code bodyMemoryBytes} bounds the
     * bodies each listener holds at once; {@code maxConnectionsPerAddress} the connections one source holds open.
     */
    public record Server(int workers, int queueSize, int handshakeTimeoutMillis, int requestTimeoutMillis,
                         int maxBodyBytes, int maxUploadBytes, List<String> trustedProxies, long bodyMemoryBytes,
                         int maxConnectionsPerAddress, int drainTimeoutMillis) {}

    /** How log lines are written: {@code text} (one readable line) or {@code json} (one JSON object per line). */
    public record Logging(String format) {
        public boolean json() {
            return format.equals("json");
        }
    }

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
