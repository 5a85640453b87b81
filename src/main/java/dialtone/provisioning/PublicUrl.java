package dialtone.provisioning;

import dialtone.security.ServerCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The URL written into files that name other files (Cisco's Profile_Rule, Snom's setting server, ...):
 * {@code phone.public-url} when set, else {@code https://<name>:<phone port>} with the first name of the
 * server certificate that is not a loopback name. Never the request's Host header, which a client or a
 * proxy chooses and which would send phones elsewhere.
 */
final class PublicUrl {

    private static final Logger LOG = LoggerFactory.getLogger(PublicUrl.class);
    private final String configured;
    private final Path certFile;
    private volatile int port;
    private volatile FileTime certTime;
    private volatile String name = "localhost";

    PublicUrl(String configured, Path certFile, int port) {
        this.configured = configured;
        this.certFile = certFile;
        this.port = port;
    }

    /** The phone listener's bound port (when configured as 0); logs the URL phones will be given. */
    void listeningOn(int boundPort) {
        this.port = boundPort;
        if (configured.isEmpty()) {
            LOG.warn("phone.public-url is not set: files that name other files point phones at {} (the first name of"
                    + " {}); set phone.public-url to the URL your phones reach", get(), certFile);
        }
    }

    String get() {
        return configured.isEmpty() ? "https://" + bracketed(certificateName()) + ":" + port : configured;
    }

    /** Read again only when the certificate file has been replaced. */
    private String certificateName() {
        try {
            FileTime time = Files.getLastModifiedTime(certFile);
            if (!time.equals(certTime)) {
                name = firstName(ServerCertificate.names(certFile));
                certTime = time;
            }
        } catch (java.io.IOException | IllegalStateException e) {
            LOG.warn("cannot read the names of {}: {}", certFile, e.getMessage());
        }
        return name;
    }

    /** The first name that is not a loopback name; the first name when all are; localhost when none. */
    static String firstName(List<String> names) {
        return names.stream().filter(name -> !isLoopback(name)).findFirst()
                .orElse(names.isEmpty() ? "localhost" : names.get(0));
    }

    private static boolean isLoopback(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.endsWith(".localhost") || lower.startsWith("127.")
                || lower.equals("::1") || lower.equals("0:0:0:0:0:0:0:1");
    }

    private static String bracketed(String name) {
        return name.contains(":") ? "[" + name + "]" : name;
    }
}
