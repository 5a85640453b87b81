package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dialtone.core.Problem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateVarsTest {

    private static ObjectNode vars(String name, String value) {
        return JsonNodeFactory.instance.objectNode().put(name, value);
    }

    @Test
    void theForwardDelayIsTwentySecondsUnlessAVariableSetsIt() {
        assertThat(TemplateVars.forwardSeconds(Map.of())).isEqualTo(20);
        assertThat(TemplateVars.forwardSeconds(TemplateVars.validate(vars("forward_no_answer_seconds", "45"))))
                .isEqualTo(45);
    }

    @Test
    void aForwardDelayThatIsNotWholeSecondsFromFiveTo120IsRefusedWithTheField() {
        for (String bad : new String[] {"abc", "4", "121", "20.5", "-20", ""}) {
            assertThatThrownBy(() -> TemplateVars.validate(vars("forward_no_answer_seconds", bad)))
                    .as(bad)
                    .isInstanceOfSatisfying(Problem.class, e -> assertThat(e.errors())
                            .extracting(f -> f.field() + ": " + f.reason())
                            .containsExactly("vars.forward_no_answer_seconds: must be a whole number of seconds"
                                    + " from 5 to 120"));
        }
    }
}
