package dialtone.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final LoginThrottle throttle = new LoginThrottle(3, 6, 900_000, clock);

    @Test
    void failuresPastSlowAfterAreHeldBackLongerEachTimeUpToTheCap() {
        assertThat(throttle.failed("ada", "192.0.2.1")).isZero();
        assertThat(throttle.failed("ada", "192.0.2.1")).isZero();
        assertThat(throttle.failed("ada", "192.0.2.1")).isZero();
        long fourth = throttle.failed("ada", "192.0.2.1");
        long fifth = throttle.failed("ada", "192.0.2.1");
        assertThat(fourth).isEqualTo(250);
        assertThat(fifth).isEqualTo(500);
        assertThat(throttle.refused("ada", "192.0.2.1")).isFalse();
        throttle.failed("ada", "192.0.2.1");
        assertThat(throttle.refused("ada", "192.0.2.9")).isTrue();
        assertThat(throttle.refused("bob", "192.0.2.1")).isTrue();
        assertThat(throttle.refused("bob", "192.0.2.9")).isFalse();
    }

    @Test
    void refusalEndsAfterRefuseTimeAndUsernamesCountWhateverTheirCase() {
        for (int i = 0; i < 6; i++) {
            throttle.failed(i % 2 == 0 ? "Ada" : " ada ", "198.51.100." + i);
        }
        assertThat(throttle.refused("ADA", "203.0.113.1")).isTrue();
        now.addAndGet(900_001);
        assertThat(throttle.refused("ada", "203.0.113.1")).isFalse();
        assertThat(throttle.failed("ada", "203.0.113.1")).isZero();
    }

    @Test
    void successForgetsTheUsernamesFailuresButNotTheSources() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("ada", "192.0.2.1");
        }
        throttle.succeeded("ada");
        assertThat(throttle.failed("ada", "192.0.2.2")).isZero();
        assertThat(throttle.failed("eve", "192.0.2.1")).isGreaterThan(0);
    }
}
