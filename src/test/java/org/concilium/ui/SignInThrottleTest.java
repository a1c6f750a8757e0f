package org.concilium.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lockout rules on a clock the test sets: per name, per source, within a window, for a while. */
class SignInThrottleTest {

    private final SignInThrottle throttle = new SignInThrottle();
    private final Instant t0 = Instant.parse("2026-01-01T08:00:00Z");

    @Test
    void fiveFailuresForOneNameLockItForFifteenMinutes() {
        for (int i = 0; i < SignInThrottle.MAX_PER_USER - 1; i++) {
            assertThat(throttle.failed("alice", "10.0.0." + i, t0.plusSeconds(i)).lockedUntil()).isEmpty();
        }
        assertThat(throttle.lockedUntil("alice", "10.0.0.99", t0.plusSeconds(10))).isEmpty();
        Instant fifth = t0.plusSeconds(10);
        assertThat(throttle.failed("alice", "10.0.0.9", fifth).lockedUntil()).contains(fifth.plus(SignInThrottle.LOCK));
        assertThat(throttle.lockedUntil("alice", "10.0.0.200", fifth.plusSeconds(60))).isPresent();
        assertThat(throttle.lockedUntil("bob", "10.0.0.200", fifth.plusSeconds(60))).as("other names").isEmpty();
        assertThat(throttle.lockedUntil("alice", "10.0.0.200", fifth.plus(SignInThrottle.LOCK))).as("lock over").isEmpty();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        for (int i = 0; i < SignInThrottle.MAX_PER_USER - 1; i++) {
            throttle.failed("alice", "10.0.0.1", t0.plusSeconds(i));
        }
        Instant later = t0.plus(SignInThrottle.WINDOW).plusSeconds(10);
        SignInThrottle.Outcome o = throttle.failed("alice", "10.0.0.1", later);
        assertThat(o.lockedUntil()).isEmpty();
        assertThat(o.failures()).isEqualTo(1);
    }

    @Test
    void aSuccessClearsTheNameButNotTheSource() {
        for (int i = 0; i < SignInThrottle.MAX_PER_USER - 1; i++) {
            throttle.failed("alice", "10.0.0.1", t0);
        }
        throttle.succeeded("alice");
        assertThat(throttle.failed("alice", "10.0.0.1", t0).failures()).isEqualTo(1);
    }

    @Test
    void manyNamesFromOneSourceLockTheSourceForEveryName() {
        for (int i = 0; i < SignInThrottle.MAX_PER_SOURCE - 1; i++) {
            assertThat(throttle.failed("guess-" + i, "10.6.6.6", t0).lockedUntil()).isEmpty();
        }
        assertThat(throttle.failed("guess-last", "10.6.6.6", t0).lockedUntil()).isPresent();
        assertThat(throttle.lockedUntil("alice", "10.6.6.6", t0.plusSeconds(1))).as("the right name too").isPresent();
        assertThat(throttle.lockedUntil("alice", "10.0.0.1", t0.plusSeconds(1))).as("from elsewhere").isEmpty();
        throttle.clear();
        assertThat(throttle.lockedUntil("alice", "10.6.6.6", t0.plusSeconds(1))).isEmpty();
    }
}
