package dialtone.config;

import java.util.Locale;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Loads {@link DialtoneConfig} from a YAML file, lets environment variables override any key
 * ({@code phone.port} -> {@code DIALTONE_PHONE_PORT}) and validates every value.
 */
public final class ConfigLoader {

    /** Shipped defaults that only stand for the operator's own values: a warning at start while in use. */
    static final String PLACEHOLDER_REGISTRAR = "sip.example.com";
    static final String PLACEHOLDER_FROM = "dialtone@example.com";

    private ConfigLoader() {}

    /** Loads the file (which may be absent: defaults then apply) with the process environment. */
    public static DialtoneConfig load(Path file) {
        return load(file, System.getenv());
    }

    public static DialtoneConfig load(Path file, Map<String, String> env) {
        return load(file, env, new Settings(env));
    }

    /** Every key the loader reads, in the order it reads them (the documentation test compares them). */
    static java.util.Set<String> keys() {
        Settings settings = new Settings(Map.of());
        load(null, Map.of(), settings);
        return settings.keysRead();
    }

    private static DialtoneConfig load(Path file, Map<String, String> env, Settings settings) {
        if (file != null && Files.exists(file)) {
            flatten("", readYaml(file), settings);
        } else if (file != null && !file.equals(Path.of("config/dialtone.yaml"))) {
            throw new ConfigException("configuration file " + file + " does not exist");
        }
        DialtoneConfig config = build(settings);
        settings.rejectUnknownKeys();
        return config;
    }

    private static JsonNode readYaml(Path file) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            return root == null ? new ObjectMapper().createObjectNode() : root;
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    private static void flatten(String prefix, JsonNode node, Settings settings) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), settings);
            }
        } else if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            node.forEach(item -> joined.append(joined.length() == 0 ? "" : ",").append(item.asText()));
            settings.putFromFile(prefix, joined.toString());
        } else if (!node.isNull()) {
            settings.putFromFile(prefix, node.asText());
        }
    }

    private static DialtoneConfig build(Settings s) {
        Path dataDir = s.path("data-dir", "data");
        String defaultUrl = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("dialtone") + ";DATABASE_TO_LOWER=TRUE";
        String url = s.string("database.url", defaultUrl);
        // Only these two: the jOOQ dialect and the migrations are chosen and written for them.
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            // Only the scheme is echoed: a JDBC URL may carry a password.
            String scheme = url.replaceFirst("^((?:jdbc:)?[^:/?;]*:?).*$", "$1");
            throw new ConfigException("database.url: '" + scheme + "...' is not an H2 or PostgreSQL JDBC URL"
                    + " (jdbc:h2:... or jdbc:postgresql://host:port/database)");
        }
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("DATABASE_TO_LOWER")) {
            url = url + ";DATABASE_TO_LOWER=TRUE";
        }
        var database = new DialtoneConfig.Database(url, s.string("database.user", "dialtone"),
                s.string("database.password", ""), s.integer("database.pool-size", 8, 1, 200));
        var phone = new DialtoneConfig.Listener(s.string("phone.host", "0.0.0.0"), s.port("phone.port", 8443),
                s.bool("phone.legacy-tls", false));
        var admin = new DialtoneConfig.Listener(s.string("admin.host", "127.0.0.1"), s.port("admin.port", 9443),
                s.bool("admin.legacy-tls", false));
        var management = new DialtoneConfig.Listener(s.string("management.host", "127.0.0.1"),
                s.port("management.port", 9090), false);
        var tls = new DialtoneConfig.Tls(s.path("tls.cert", "certs/server.crt"), s.path("tls.key", "certs/server.key"),
                s.path("tls.vendor-roots", "certs/vendors"), s.list("tls.extra-names"),
                s.oneOf("tls.provider", "auto", "auto", "openssl", "jdk"),
                s.integer("tls.session-cache-size", 20_000, 1, 1_000_000));
        String transport = s.oneOf("sip.transport", "udp", "udp", "tcp", "tls");
        var sip = new DialtoneConfig.Sip(host(s, "sip.registrar", PLACEHOLDER_REGISTRAR),
                s.port("sip.port", transport.equals("tls") ? 5061 : 5060), host(s, "sip.domain", ""), transport,
                s.string("sip.voicemail-number", "*97"), host(s, "sip.realm", ""));
        String smtpUser = s.string("smtp.username", "");
        // With a login, STARTTLS must not be strippable: the password would cross the network in clear.
        var smtp = new DialtoneConfig.Smtp(s.string("smtp.host", "localhost"), s.port("smtp.port", 25),
                s.string("smtp.from", PLACEHOLDER_FROM), smtpUser, s.string("smtp.password", ""),
                s.oneOf("smtp.starttls", smtpUser.isEmpty() ? "optional" : "required", "off", "optional", "required"),
                s.integer("smtp.timeout-ms", 10_000, 100, 600_000),
                s.integer("smtp.retry-initial-ms", 30_000, 10, 86_400_000),
                s.integer("smtp.retry-max-ms", 3_600_000, 10, 86_400_000),
                s.integer("smtp.max-attempts", 12, 1, 1000),
                s.integer("smtp.welcome-resend-interval-ms", 60_000, 0, 86_400_000),
                s.integer("smtp.welcomes-per-day", 10, 1, 1000));
        try {
            new jakarta.mail.internet.InternetAddress(smtp.from(), true).validate();
        } catch (jakarta.mail.internet.AddressException e) {
            throw new ConfigException("smtp.from: '" + smtp.from() + "' is not an e-mail address");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int maxBody = s.integer("server.max-body-bytes", 1024 * 1024, 1024, 64 * 1024 * 1024);
        int maxUpload = s.integer("server.max-upload-bytes", 8 * 1024 * 1024, 6 * 1024 * 1024, 256 * 1024 * 1024);
        var server = new DialtoneConfig.Server(
                s.integer("server.workers", Math.max(4, cores * 2), 1, 512),
                s.integer("server.queue-size", 512, 1, 100_000),
                s.integer("server.handshake-timeout-ms", 10_000, 100, 600_000),
                s.integer("server.request-timeout-ms", 30_000, 100, 600_000),
                maxBody, maxUpload, s.list("server.trusted-proxies"),
                s.integer("server.body-memory-bytes", 64 * 1024 * 1024, Math.max(maxBody, maxUpload), Integer.MAX_VALUE),
                s.integer("server.max-connections-per-address", 256, 1, 1_000_000),
                s.integer("server.drain-timeout-ms", 10_000, 0, 600_000));
        String portalUrl = s.string("portal.url", "");
        if (!portalUrl.isEmpty() && !portalUrl.startsWith("https://") && !portalUrl.startsWith("http://")) {
            throw new ConfigException("portal.url: '" + portalUrl + "' is not an http(s) URL");
        }
        int loginSlowAfter = s.integer("portal.login-slow-after", 5, 1, 1000);
        var portal = new DialtoneConfig.Portal(s.string("portal.host", "0.0.0.0"), s.port("portal.port", 8444),
                portalUrl, s.integer("portal.idle-timeout-minutes", 30, 1, 24 * 60),
                s.integer("portal.absolute-timeout-hours", 12, 1, 24 * 30), loginSlowAfter,
                s.integer("portal.login-refuse-after", 20, loginSlowAfter, 100_000),
                s.integer("portal.login-refuse-minutes", 15, 1, 24 * 60));
        Path templatesDir = s.path("templates.dir", "templates");
        if (sip.registrar().isBlank()) {
            throw new ConfigException("sip.registrar: must not be empty");
        }
        var resync = new DialtoneConfig.Resync(s.integer("resync.t1-ms", 500, 10, 10_000),
                s.integer("resync.per-second", 10, 1, 1000), s.integer("resync.auto-delay-ms", 2000, 0, 600_000),
                s.list("resync.allowed-networks", DialtoneConfig.Resync.DEFAULT_ALLOWED_NETWORKS),
                s.integer("resync.waits-per-account", 16, 1, 1000));
        String override = s.string("templates.override-dir", "");
        String publicUrl = s.string("phone.public-url", "");
        if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[A-Za-z0-9.:\\[\\]-]+(/[A-Za-z0-9._~/-]*)?")) {
            throw new ConfigException("phone.public-url: '" + publicUrl + "' is not an http(s) URL such as "
                    + "https://prov.example.com:8443");
        }
        int maxFile = s.integer("uploads.max-file-bytes", Math.min(256 * 1024, server.maxBodyBytes()), 1024,
                server.maxBodyBytes());
        var provisioning = new DialtoneConfig.Provisioning(
                override.isBlank() ? null : s.path("templates.override-dir", ""),
                s.integer("templates.reload-interval-ms", 2000, 100, 3_600_000),
                publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl,
                maxFile,
                s.integer("uploads.max-device-bytes", 4 * 1024 * 1024, maxFile, Integer.MAX_VALUE),
                s.integer("uploads.max-device-files", 100, 1, 100_000),
                s.integer("discovered.max", 10_000, 10, 10_000_000),
                s.integer("phone.cache-mb", 64, 0, 65_536));
        var time = new DialtoneConfig.Time(host(s, "time.ntp-server", "pool.ntp.org"),
                s.bool("time.override-dhcp", true));
        if (time.ntpServer().isBlank()) {
            throw new ConfigException("time.ntp-server: must not be empty");
        }
        var pbx = new DialtoneConfig.Pbx(s.string("pbx.host", "127.0.0.1"), s.integer("pbx.port", 9444, -1, 65535),
                s.integer("pbx.workers", Math.max(2, cores), 1, 512), s.integer("pbx.queue-size", 1024, 1, 100_000),
                s.bool("pbx.expose-passwords", false));
        return new DialtoneConfig(dataDir, database, phone, admin, tls, templatesDir, sip, smtp, portal, server,
                resync, security(s), provisioning, time, management, pbx,
                new DialtoneConfig.Logging(s.oneOf("logging.format", "text", "text", "json")));
    }

    /** A host name or address as phones write it: letters, digits, '.', '-', ':' and brackets only. */
    private static String host(Settings s, String key, String fallback) {
        String value = s.string(key, fallback).trim();
        if (!value.isEmpty() && !value.matches("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]")) {
            throw new ConfigException(key + ": '" + value + "' is not a host name or IP address");
        }
        return value;
    }

    private static DialtoneConfig.Security security(Settings s) {
        int slowAfter = s.integer("throttle.slow-after", 20, 1, 1_000_000);
        int refuseAfter = s.integer("throttle.refuse-after", 60, 1, 1_000_000);
        if (refuseAfter < slowAfter) {
            throw new ConfigException("throttle.refuse-after: '" + refuseAfter
                    + "' must not be below throttle.slow-after (" + slowAfter + ")");
        }
        var throttle = new DialtoneConfig.Throttle(slowAfter, refuseAfter,
                s.integer("throttle.window-seconds", 600, 1, 86_400),
                s.integer("throttle.refuse-seconds", 900, 1, 86_400),
                s.integer("throttle.max-delay-ms", 2_000, 0, 60_000),
                s.integer("throttle.max-tracked", 50_000, 100, 10_000_000),
                s.integer("throttle.challenge-budget", 1_000, 1, 1_000_000));
        int httpPort = s.integer("phone.http-port", -1, -1, 65535);
        return new DialtoneConfig.Security(httpPort, s.integer("tls.reload-interval-ms", 5_000, 100, 3_600_000),
                throttle);
    }
}
