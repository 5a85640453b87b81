package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.core.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortalPasswordRulesTest {

    private static String reason(String password) {
        List<FieldError> errors = new ArrayList<>();
        Rules.portalPassword(errors, "newPassword", password, "ada.l");
        return errors.isEmpty() ? null : errors.get(0).reason();
    }

    @Test
    void policyRefusesShortRepeatedWellKnownAndUsernameBearingPasswordsInWords() {
        assertThat(reason(null)).isEqualTo("is required");
        assertThat(reason("elevenchars")).isEqualTo("must be 12 to 128 characters long");
        assertThat(reason("x".repeat(129))).isEqualTo("must be 12 to 128 characters long");
        assertThat(reason("aaaaaaaaaaaaaa")).isEqualTo("must not be one character repeated");
        assertThat(reason("Password1234")).isEqualTo("is a well-known password; choose another");
        assertThat(reason("my name is ADA.L ok")).isEqualTo("must not contain your username");
        assertThat(reason("tab\tinside password")).isEqualTo("must not contain control characters");
    }

    @Test
    void policyAcceptsALongPassphraseWithoutCompositionRules() {
        assertThat(reason("correct horse battery staple")).isNull();
        assertThat(reason("zzzzzzzzzzzy")).isNull();
    }
}
