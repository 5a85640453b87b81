package dialtone.templates;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A phone family loaded from {@code templates/<id>/family.yaml}: how to recognise its phones,
 * which models it has and which files it serves.
 */
public record Family(String id, String vendor, Path dir, Pattern userAgent, String resyncEvent,
                     List<String> prefixes, List<PhoneModel> models, List<FileSpec> files) {

    /** Model and firmware as the User-Agent claims them; for records only, never for identity. */
    public record UserAgentInfo(String model, String firmware) {}

    public UserAgentInfo parseUserAgent(String header) {
        if (header == null || userAgent == null) {
            return null;
        }
        Matcher m = userAgent.matcher(header);
        if (!m.find()) {
            return null;
        }
        String model = m.groupCount() >= 1 ? m.group(1) : null;
        String firmware = m.groupCount() >= 2 ? m.group(2) : null;
        return new UserAgentInfo(model, firmware);
    }
}
