package dialtone.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.config.DialtoneConfig;
import dialtone.server.Request;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The throttle's arithmetic with a hand-driven clock; SECURITY.md line 10 (bounded memory). */
class FailureThrottleTest {

    long now = 1_000_000;
    final DialtoneConfig.Throttle config = new DialtoneConfig.Throttle(20, 60, 600, 900, 2_000, 50_000, 1_000);
    final FailureThrottle throttle = new FailureThrottle(config, () -> now);

    static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    static Request request(InetAddress from) {
        return new Request("GET", "/x.cfg", "/x.cfg", Map.of(), new DefaultHttpHeaders(), new byte[0], from, true, List.of());
    }

    @Test
    void aHundredThousandRandomUnknownMacsKeepTheTablesBounded() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            String mac = String.format("%012x", random.nextLong() & 0xffffffffffffL);
            byte[] address = {(byte) 10, (byte) random.nextInt(256), (byte) random.nextInt(256), (byte) random.nextInt(256)};
            throttle.failed(InetAddress.getByAddress(address), mac);
        }
        assertThat(throttle.trackedMacs()).isEqualTo(config.maxTracked());
        assertThat(throttle.trackedSources()).isLessThanOrEqualTo(config.maxTracked());
    }

    @Test
    void failuresPastTheBudgetAreSlowedThenRefusedAndTheRefusalExpires() throws Exception {
        InetAddress scanner = ip("198.51.100.1");
        for (int i = 0; i < 19; i++) {
            throttle.failed(scanner, null);
        }
        assertThat(throttle.delayMillis(scanner, null)).isZero();
        throttle.failed(scanner, null);
        long first = throttle.delayMillis(scanner, null);
        assertThat(first).isPositive();
        for (int i = 0; i < 20; i++) {
            throttle.failed(scanner, null);
        }
        assertThat(throttle.delayMillis(scanner, null)).isGreaterThan(first);
        assertThat(throttle.refusal(request(scanner))).isNull();
        for (int i = 0; i < 20; i++) {
            throttle.failed(scanner, null);
        }
        assertThat(throttle.refusal(request(scanner)).status()).isEqualTo(429);
        assertThat(throttle.refusal(request(ip("198.51.100.2")))).isNull();

        now += 900_000;
        assertThat(throttle.refusal(request(scanner))).isNull();
        assertThat(throttle.delayMillis(scanner, null)).isZero();
    }

    @Test
    void aSourceStartingToBeRefusedIsReportedOnceEachTime() throws Exception {
        java.util.concurrent.atomic.AtomicInteger blocks = new java.util.concurrent.atomic.AtomicInteger();
        FailureThrottle reporting = new FailureThrottle(config, () -> now, blocks::incrementAndGet);
        InetAddress scanner = ip("198.51.100.7");
        for (int i = 0; i < 100; i++) {
            reporting.failed(scanner, null);
        }
        assertThat(blocks).hasValue(1);
        assertThat(reporting.refusal(request(scanner)).status()).isEqualTo(429);

        now += 900_000;
        for (int i = 0; i < 60; i++) {
            reporting.failed(scanner, null);
        }
        assertThat(blocks).as("refused again after the first refusal ran out").hasValue(2);
    }

    @Test
    void successesCancelChallengesButNeverBadProofs() throws Exception {
        InetAddress nat = ip("203.0.113.5");
        for (int i = 0; i < 10_000; i++) {
            throttle.challenged(nat);
            throttle.proven(nat);
        }
        assertThat(throttle.refusal(request(nat))).isNull();
        assertThat(throttle.delayMillis(nat, null)).isZero();

        InetAddress guesser = ip("203.0.113.6");
        for (int i = 0; i < 60; i++) {
            throttle.failed(guesser, "0015654aa937");
            throttle.proven(guesser);
        }
        assertThat(throttle.refusal(request(guesser))).isNotNull();
    }

    @Test
    void aWholeOfficeMidChallengeBehindOneAddressIsNeitherSlowedNorRefusedButAScannerIs() throws Exception {
        InetAddress office = ip("203.0.113.7");
        for (int i = 0; i < 600; i++) {
            throttle.challenged(office);
        }
        assertThat(throttle.refusal(request(office))).isNull();
        assertThat(throttle.delayMillis(office, "0015654aa937")).isZero();

        for (int i = 600; i < 1_000; i++) {
            throttle.challenged(office);
        }
        assertThat(throttle.refusal(request(office)).status()).isEqualTo(429);
    }

    @Test
    void guessesAtOneMacFromManySourcesSlowThatMacWithoutRefusingIt() throws Exception {
        for (int i = 0; i < 30; i++) {
            throttle.failed(ip("192.0.2." + i), "0015654aa937");
        }
        assertThat(throttle.delayMillis(ip("192.0.2.200"), "0015654aa937")).isPositive();
        assertThat(throttle.delayMillis(ip("192.0.2.200"), "0015654aa938")).isZero();
        assertThat(throttle.refusal(request(ip("192.0.2.200")))).isNull();
    }

    @Test
    void failuresAreForgottenAfterAQuietWindowAndIpv6CountsPerSlash64() throws Exception {
        InetAddress a = ip("2001:db8:1:2::1");
        InetAddress b = ip("2001:db8:1:2::ffff");
        for (int i = 0; i < 30; i++) {
            throttle.failed(i % 2 == 0 ? a : b, null);
        }
        assertThat(throttle.delayMillis(a, null)).isEqualTo(throttle.delayMillis(b, null)).isPositive();
        assertThat(throttle.delayMillis(ip("2001:db8:1:3::1"), null)).isZero();
        now += 601_000;
        assertThat(throttle.delayMillis(a, null)).isZero();
    }
}
