package dialtone.provisioning;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a Yealink {@code key = value} file the way the phone does: one key per line, '#' comments. */
final class YealinkConfig {

    private YealinkConfig() {}

    static Map<String, String> parse(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : body.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf(" = ");
            if (eq < 0) {
                throw new AssertionError("not a key = value line: '" + line + "'");
            }
            String key = line.substring(0, eq);
            if (values.put(key, line.substring(eq + 3)) != null) {
                throw new AssertionError("key set twice: " + key);
            }
        }
        return values;
    }
}
