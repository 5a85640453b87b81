package dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dialtone.config.DialtoneConfig;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which hosts a NOTIFY may go to: the rule itself, without sending anything anywhere. */
class NotifyTargetsTest {

    private final NotifyTargets defaults = new NotifyTargets(DialtoneConfig.Resync.DEFAULT_ALLOWED_NETWORKS);
    private final NotifyTargets everywhere = new NotifyTargets(List.of("0.0.0.0/0", "::/0"));

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "169.254.169.254", "169.254.0.1", "fe80::1", "224.0.0.1",
            "239.255.255.250", "ff02::1", "0.0.0.0", "::", "255.255.255.255", "240.0.0.1", "::ffff:127.0.0.1",
            "::ffff:7f00:1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1",
            "2002:a9fe:a9fe::1"})
    void loopbackLinkLocalMulticastUnspecifiedAndTheirDisguisesAreRefusedEvenWhenEverythingIsAllowed(String host) {
        assertThat(everywhere.address(host)).as(host).isEmpty();
        assertThat(defaults.address(host)).as(host).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "metadata.google.internal", "phone.example.com", "10.0.0.1.nip.io",
            "0x7f000001", "2130706433", "017700000001", "127.1", "", " 10.0.0.1"})
    void namesAndOddNumeralsAreRefusedWithoutALookup(String host) {
        assertThat(everywhere.address(host)).as(host).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.10", "172.16.5.4", "192.168.1.20", "100.64.0.7", "fd00::10"})
    void privateNetworksAreAllowedByDefault(String host) {
        assertThat(defaults.address(host)).as(host).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "192.0.2.10", "2001:db8::1", "172.32.0.1", "64:ff9b::a00:1"})
    void addressesOutsideTheAllowedNetworksAreRefused(String host) {
        assertThat(defaults.address(host)).as(host).isEmpty();
    }

    @Test
    void anOperatorMayOpenLoopbackOnlyByNamingIt() {
        NotifyTargets lab = new NotifyTargets(List.of("127.0.0.1/32"));

        assertThat(lab.address("127.0.0.1")).isPresent();
        assertThat(lab.address("127.0.0.2")).isEmpty();
        assertThat(new NotifyTargets(List.of("0.0.0.0/1")).address("127.0.0.1")).isEmpty();
        assertThat(new NotifyTargets(List.of("169.254.0.0/16")).address("169.254.169.254")).isPresent();
        assertThat(new NotifyTargets(List.of("0.0.0.0/0")).address("203.0.113.5")).isPresent();
    }

    @Test
    void nothingIsAllowedWhenTheListIsEmpty() {
        assertThat(new NotifyTargets(List.of()).address("10.0.0.1")).isEmpty();
    }

    @Test
    void aBadNetworkIsRefusedAtStart() {
        assertThatThrownBy(() -> new NotifyTargets(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10.0.0.0/33");
    }
}
