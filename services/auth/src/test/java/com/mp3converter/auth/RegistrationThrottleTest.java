package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RegistrationThrottleTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RegistrationThrottle throttle = new RegistrationThrottle(3, Duration.ofHours(1), 1000, clock);

  @Test
  void aClientIsThrottledOnceItsRegistrationsReachTheLimitUntilTheOldestLeavesTheWindow() {
    for (int i = 0; i < 3; i++) {
      assertThatCode(() -> throttle.check("203.0.113.7")).doesNotThrowAnyException();
      throttle.record("203.0.113.7");
      clock.advance(Duration.ofMinutes(10));
    }

    assertThatThrownBy(() -> throttle.check("203.0.113.7"))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.problem().status()).isEqualTo(429);
          // The first registration leaves the window an hour after it was made, 30 minutes from now.
          assertThat(e.headers()).containsEntry("Retry-After", "1800");
        });
    assertThatCode(() -> throttle.check("203.0.113.8")).doesNotThrowAnyException();

    clock.advance(Duration.ofMinutes(30));
    assertThatCode(() -> throttle.check("203.0.113.7")).doesNotThrowAnyException();
  }
}
