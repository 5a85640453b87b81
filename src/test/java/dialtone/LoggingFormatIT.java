package dialtone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dialtone.testing.AdminClient;
import dialtone.testing.HttpsClient;
import dialtone.testing.JarProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar with {@code logging.format: json}: every log line is a JSON object, one per phone request. */
class LoggingFormatIT {

    static final String MAC = "001565aa6001";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonFormatWritesOneParsableAccessLinePerPhoneRequestWithItsFields() throws Exception {
        try (JarProcess dialtone = new JarProcess(dir, Map.of("DIALTONE_LOGGING_FORMAT", "json"))) {
            AdminClient admin = dialtone.admin();
            String account = admin.createAccount("Logged");
            String password = admin.createDevice(account, MAC, "yealink-t46s").json().path("provisioning")
                    .path("password").asText();
            HttpsClient phones = new HttpsClient("https://127.0.0.1:" + dialtone.phonePort(), dialtone.certificate());
            // Digest: a challenge (401, no credentials offered), then the proven request (200).
            assertThat(phones.getDigest("/" + MAC + ".cfg", MAC, password).statusCode()).isEqualTo(200);
            assertThat(dialtone.terminate()).isZero();

            List<JsonNode> lines = new ArrayList<>();
            for (String line : dialtone.outputLines()) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
            assertThat(lines).as("the log, as JSON objects").hasSizeGreaterThan(10)
                    .anyMatch(l -> l.path("formattedMessage").asText().startsWith("Dialtone started"));
            assertThat(dialtone.outputLines()).as("no line of the log is plain text")
                    .noneMatch(line -> line.matches("^\\d{4}-\\d\\d-\\d\\dT.* (INFO|WARN|ERROR) .*"));
            List<Map<String, String>> access = lines.stream()
                    .filter(l -> l.path("loggerName").asText().equals("dialtone.phone")).map(LoggingFormatIT::fields)
                    .toList();
            assertThat(access).as("one line per phone request").hasSize(2);
            Map<String, String> served = access.get(1);
            assertThat(served).containsEntry("ip", "127.0.0.1").containsEntry("mac", MAC)
                    .containsEntry("model", "yealink-t46s").containsEntry("path", "/" + MAC + ".cfg")
                    .containsEntry("status", "200").containsKey("ms");
            assertThat(Long.parseLong(served.get("ms"))).isNotNegative();
            assertThat(access.get(0)).containsEntry("status", "401").containsEntry("reason", "no-credentials");
            assertThat(dialtone.output()).as("no secret in the log").doesNotContain(password);
        }
    }

    /** A line's key-value pairs: Logback writes them as a list of one-entry objects. */
    private static Map<String, String> fields(JsonNode line) {
        Map<String, String> fields = new HashMap<>();
        for (JsonNode pair : line.path("kvpList")) {
            pair.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
        }
        return fields;
    }
}
