package io.gridtier.tierservice.security;

import io.gridtier.tierservice.support.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FailedAuthLimiterTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FailedAuthLimiter limiter = new FailedAuthLimiter(20, Duration.ofMinutes(1), clock);

    @Test
    void twentyFailuresInAMinuteBlockTheAddressUntilTheMinuteHasPassed() {
        for (int i = 0; i < 19; i++) {
            limiter.failed("10.0.0.1");
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(limiter.retryAfterSeconds("10.0.0.1")).as("19 failures").isZero();
        limiter.failed("10.0.0.1"); // the 20th, 19 s after the first
        assertThat(limiter.retryAfterSeconds("10.0.0.1")).isEqualTo(41);
        assertThat(limiter.blockedAddresses()).isEqualTo(1);
        assertThat(limiter.retryAfterSeconds("10.0.0.2")).as("another address").isZero();

        clock.advance(Duration.ofSeconds(40));
        assertThat(limiter.retryAfterSeconds("10.0.0.1")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.retryAfterSeconds("10.0.0.1")).as("the minute has passed").isZero();
        assertThat(limiter.blockedAddresses()).isZero();

        limiter.failed("10.0.0.1");
        assertThat(limiter.retryAfterSeconds("10.0.0.1")).as("a new window with one failure").isZero();
    }

    @Test
    void failuresSpreadOverMoreThanAMinuteNeverBlock() {
        for (int i = 0; i < 100; i++) {
            limiter.failed("10.0.0.1");
            assertThat(limiter.retryAfterSeconds("10.0.0.1")).as("failure %d", i).isZero();
            clock.advance(Duration.ofSeconds(4)); // 15 a minute
        }
    }

    @Test
    void aLimitOfZeroIsOff() {
        FailedAuthLimiter off = new FailedAuthLimiter(0, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 1000; i++) {
            off.failed("10.0.0.1");
        }
        assertThat(off.retryAfterSeconds("10.0.0.1")).isZero();
        assertThat(off.trackedAddresses()).isZero();
    }

    @Test
    void manyAddressesAreTrackedInBoundedMemory() {
        for (int i = 0; i < 3 * FailedAuthLimiter.MAX_ADDRESSES; i++) {
            limiter.failed("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }
        assertThat(limiter.trackedAddresses()).isLessThanOrEqualTo(FailedAuthLimiter.MAX_ADDRESSES);
        // a blocked address keeps its window while others come and go within it
        for (int i = 0; i < 20; i++) {
            limiter.failed("192.0.2.1");
        }
        clock.advance(Duration.ofMinutes(2));
        for (int i = 0; i < 20; i++) {
            limiter.failed("192.0.2.7");
        }
        limiter.failed("198.51.100.1");
        assertThat(limiter.retryAfterSeconds("192.0.2.7")).isEqualTo(60);
        assertThat(limiter.trackedAddresses()).isLessThanOrEqualTo(FailedAuthLimiter.MAX_ADDRESSES);
    }
}
