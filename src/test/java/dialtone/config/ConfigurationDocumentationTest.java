package dialtone.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dialtone.testing.LogCapture;
import dialtone.testing.TestDialtone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped config/dialtone.yaml, the loader's defaults and README's configuration table say the same
 * thing: the same keys, the same defaults. And a newcomer who leaves a placeholder is told so at start.
 */
class ConfigurationDocumentationTest {

    static final Path YAML = Path.of("config/dialtone.yaml");
    static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| (.+?) \\| .* \\|$");

    /** Every leaf of the YAML file by its dotted key; a key left empty maps to null. */
    static Map<String, JsonNode> yamlKeys() throws Exception {
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        walk("", new ObjectMapper(new YAMLFactory()).readTree(YAML.toFile()), keys);
        return keys;
    }

    private static void walk(String prefix, JsonNode node, Map<String, JsonNode> keys) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                walk(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), keys);
            }
        } else {
            keys.put(prefix, node.isNull() ? null : node);
        }
    }

    /** How the table writes a YAML value: a list as [a, b], an empty string as "", anything else as text. */
    static String shown(JsonNode value) {
        if (value.isArray()) {
            return "[" + String.join(", ", StreamSupport.stream(value.spliterator(), false).map(JsonNode::asText).toList()) + "]";
        }
        return value.asText().isEmpty() ? "\"\"" : value.asText();
    }

    /** README's configuration table: key -> default cell. */
    static Map<String, String> readmeTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("\n## Configuration"));
        section = section.substring(0, section.indexOf("\n#", 5));
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : section.lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                assertThat(rows.put(m.group(1), m.group(2))).as("README lists " + m.group(1) + " twice").isNull();
            }
        }
        return rows;
    }

    @Test
    void theYamlNamesEveryKeyTheLoaderReadsAndNoOther() throws Exception {
        assertThat(yamlKeys().keySet()).containsExactlyInAnyOrderElementsOf(ConfigLoader.keys());
    }

    @Test
    void theYamlValuesAreTheLoadersDefaults() {
        assertThat(ConfigLoader.load(YAML, Map.of())).isEqualTo(ConfigLoader.load(null, Map.of()));
    }

    @Test
    void theReadmeTableListsEveryKeyOfTheYamlWithItsDefaultAndNoOther() throws Exception {
        Map<String, JsonNode> yaml = yamlKeys();
        Map<String, String> readme = readmeTable();

        assertThat(readme.keySet()).containsExactlyInAnyOrderElementsOf(yaml.keySet());
        yaml.forEach((key, value) -> {
            String cell = readme.get(key);
            if (value == null) {
                assertThat(cell).as(key + " is empty in the yaml: the table describes its default in italics")
                        .matches("\\*[^*]+\\*");
            } else {
                assertThat(cell).as(key).isEqualTo("`" + shown(value) + "`");
            }
        });
    }

    @Test
    void eachShippedPlaceholderIsNamedUntilReplaced() {
        List<String> shipped = ConfigLoader.load(YAML, Map.of()).placeholdersInUse();
        List<String> replaced = ConfigLoader.load(YAML, Map.of("DIALTONE_SIP_REGISTRAR", "sip.acme.net",
                "DIALTONE_SMTP_FROM", "noc@acme.net")).placeholdersInUse();

        assertThat(shipped).containsExactly(
                "placeholder in use: sip.registrar is sip.example.com: phones will register to a server that is not"
                        + " yours; set sip.registrar (DIALTONE_SIP_REGISTRAR)",
                "placeholder in use: smtp.from is dialtone@example.com: welcome e-mails will come from an address that"
                        + " is not yours; set smtp.from (DIALTONE_SMTP_FROM)");
        assertThat(replaced).isEmpty();
    }

    @Test
    void startWarnsOncePerPlaceholderStillInUse(@TempDir Path dir) throws Exception {
        try (LogCapture logs = new LogCapture();
             TestDialtone server = new TestDialtone(dir, Map.of("DIALTONE_SIP_REGISTRAR", "sip.example.com",
                     "DIALTONE_PORTAL_URL", "https://phones.acme.net/"))) {
            List<String> warnings = logs.lines().stream().filter(l -> l.startsWith("placeholder in use: ")).toList();

            assertThat(warnings).hasSize(2);
            assertThat(warnings).filteredOn(l -> l.contains("sip.registrar is sip.example.com")).hasSize(1);
            assertThat(warnings).filteredOn(l -> l.contains("smtp.from is dialtone@example.com")).hasSize(1);
        }
    }
}
