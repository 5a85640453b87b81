package dialtone.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacTest {

    @ParameterizedTest
    @ValueSource(strings = {"001565AABBCC", "00:15:65:aa:bb:cc", "00-15-65-AA-BB-CC", "0015.65aa.bbcc", "001565aabbcc"})
    void everyCommonNotationNormalisesToLowercaseHex(String text) {
        assertThat(Mac.normalise(text)).hasValue("001565aabbcc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "001565aabbc", "001565aabbccd", "001565aabbcg", "00:15:65:aa:bb", "00:15-65:aa:bb:cc",
            "0:015:65:aa:bb:cc", "٠٠١٥٦٥aabbcc", "００１５６５aabbcc", "000000000000", "00 15 65 aa bb cc",
            "001565aabbcc\u0000", "0x1565aabbcc"})
    void anythingElseIsRefused(String text) {
        assertThat(Mac.normalise(text)).isEmpty();
    }
}
