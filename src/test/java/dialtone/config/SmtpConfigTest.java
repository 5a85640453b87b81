package dialtone.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SmtpConfigTest {

    @Test
    void retrySettingsHaveDefaultsAndEnvironmentOverrides() {
        DialtoneConfig.Smtp defaults = ConfigLoader.load(null, Map.of()).smtp();
        assertThat(defaults.retryInitialMillis()).isEqualTo(30_000);
        assertThat(defaults.retryMaxMillis()).isEqualTo(3_600_000);
        assertThat(defaults.maxAttempts()).isEqualTo(12);
        DialtoneConfig.Smtp set = ConfigLoader.load(null, Map.of("DIALTONE_SMTP_MAX_ATTEMPTS", "3",
                "DIALTONE_SMTP_PASSWORD", "hunter2")).smtp();
        assertThat(set.maxAttempts()).isEqualTo(3);
        assertThat(set.toString()).doesNotContain("hunter2");
        assertThat(ConfigLoader.load(null, Map.of()).server().maxUploadBytes()).isEqualTo(8 * 1024 * 1024);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_SMTP_FROM", "not an address")))
                .hasMessage("smtp.from: 'not an address' is not an e-mail address");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_SMTP_MAX_ATTEMPTS", "0")))
                .hasMessage("smtp.max-attempts: '0' is not a whole number between 1 and 1000");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("DIALTONE_SERVER_MAX_UPLOAD_BYTES", "1024")))
                .hasMessage("server.max-upload-bytes: '1024' is not a whole number between 6291456 and 268435456");
    }

    @Test
    void starttlsIsRequiredByDefaultOnceAUsernameIsSetAndTheShippedFileLeavesItToThatDefault() {
        assertThat(ConfigLoader.load(null, Map.of()).smtp().starttls()).isEqualTo("optional");
        assertThat(ConfigLoader.load(null, Map.of("DIALTONE_SMTP_USERNAME", "relay")).smtp().starttls())
                .isEqualTo("required");
        assertThat(ConfigLoader.load(null, Map.of("DIALTONE_SMTP_USERNAME", "relay", "DIALTONE_SMTP_STARTTLS", "off"))
                .smtp().starttls()).as("an operator's explicit choice stands (and is warned about)").isEqualTo("off");
        assertThat(ConfigLoader.load(java.nio.file.Path.of("config/dialtone.yaml"),
                Map.of("DIALTONE_SMTP_USERNAME", "relay")).smtp().starttls()).isEqualTo("required");
    }
}
