package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Masking a rendered file: every secret goes, however the file or a URL escaped it; nothing else changes. */
class MaskedConfigTest {

    @Test
    void maskReplacesEverySecretAsWrittenAsXmlEscapesItAndAsAUrlEncodesIt() {
        String secret = "p&ss<w\"rd 1";
        String file = """
                <Password>p&amp;ss&lt;w&quot;rd 1</Password>
                url = https://dev:p%26ss%3Cw%22rd+1@example.com/
                plain = p&ss<w"rd 1
                <User>ada</User>""";

        String masked = MaskedConfig.mask(file, MaskedConfig.variants(Set.of(secret)));

        assertThat(masked).isEqualTo("""
                <Password>********</Password>
                url = https://dev:********@example.com/
                plain = ********
                <User>ada</User>""");
    }

    @Test
    void longerSecretIsMaskedWholeEvenWhenAShorterOneIsPartOfIt() {
        String masked = MaskedConfig.mask("pin=2580 password=xx2580yy",
                MaskedConfig.variants(Set.of("2580", "xx2580yy")));

        assertThat(masked).isEqualTo("pin=******** password=********");
    }

    @Test
    void variablesAreSecretWhenAWordOfTheirNameSaysSo() {
        assertThat(PhoneDataModel.isSecretVariable("admin_password")).isTrue();
        assertThat(PhoneDataModel.isSecretVariable("voicemail_pin")).isTrue();
        assertThat(PhoneDataModel.isSecretVariable("api_token")).isTrue();
        assertThat(PhoneDataModel.isSecretVariable("site")).isFalse();
        assertThat(PhoneDataModel.isSecretVariable("ping_interval")).isFalse();
        assertThat(PhoneDataModel.isSecretVariable("forward_no_answer_seconds")).isFalse();
    }
}
