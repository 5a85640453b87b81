package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.core.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PinRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"1111", "0000", "999999", "1234", "0123", "3456789", "9876", "6543210", "0123456789"})
    void refusesRepeatedDigitsAndStraightRuns(String pin) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(Rules.pin(errors, pin)).isFalse();
        assertThat(errors).containsExactly(
                new FieldError("pin", "is too easy to guess (one repeated digit or a straight run)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1357", "2580", "1123", "9870", "4821", "1212"})
    void acceptsOtherPins(String pin) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(Rules.pin(errors, pin)).isTrue();
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"123", "12345678901", "12a4", "１２３４"})
    void refusesWrongShapes(String pin) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(Rules.pin(errors, pin)).isFalse();
        assertThat(errors).containsExactly(new FieldError("pin", "must be 4 to 10 digits"));
    }
}
