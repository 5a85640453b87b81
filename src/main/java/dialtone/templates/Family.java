package dialtone.templates;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A phone family loaded from {@code templates/<id>/family.yaml}: how to recognise its phones,
 * which models it has, which files it serves and which uploads it accepts. {@code overrideDir}
 * (may be null) is the operator's folder whose files shadow the shipped ones file by file.
 */
public record Family(String id, String vendor, Path dir, Path overrideDir, Pattern userAgent, String resyncEvent,
                     List<String> prefixes, List<PhoneModel> models, List<FileSpec> files, List<FileSpec> uploads,
                     Map<String, String> timeZoneNames) {

    /** Model and firmware as the User-Agent claims them; for records only, never for identity. */
    public record UserAgentInfo(String model, String firmware) {}

    public UserAgentInfo parseUserAgent(String header) {
        if (header == null || userAgent == null || header.length() > 512) {
            return null;
        }
        Matcher m = userAgent.matcher(header);
        if (!m.find()) {
            return null;
        }
        String model = named(m, "model", 1);
        String firmware = named(m, "firmware", 2);
        return new UserAgentInfo(model, firmware);
    }

    /** A named group {@code (?<model>...)} when the pattern has one, else the numbered group. */
    private static String named(Matcher m, String name, int number) {
        try {
            return m.group(name);
        } catch (IllegalArgumentException none) {
            return m.groupCount() >= number ? m.group(number) : null;
        }
    }

    /**
     * The declared model a User-Agent's model text names, compared without case and punctuation against the
     * model name and its attributes (Polycom says {@code VVX_500}, Cisco {@code 8841}).
     */
    public Optional<PhoneModel> modelNamed(String uaModel) {
        if (uaModel == null) {
            return Optional.empty();
        }
        String wanted = squash(uaModel);
        return models.stream().filter(m -> squash(m.model()).equals(wanted)
                || m.attributes().values().stream().anyMatch(v -> squash(v).equals(wanted))).findFirst();
    }

    private static String squash(String text) {
        return text.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }

    /** The file as the operator's override folder has it, else as shipped. */
    public Path resolve(String relative) {
        if (overrideDir != null) {
            Path overridden = overrideDir.resolve(relative);
            if (Files.exists(overridden)) {
                return overridden;
            }
        }
        return dir.resolve(relative);
    }
}
