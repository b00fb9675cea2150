package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.testing.MutableClock;
import com.mp3converter.shared.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registration throttle on its real store (a fresh PostgreSQL database per case). */
class RegistrationThrottleTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ThrottleDatabase database = new ThrottleDatabase();
  private final RegistrationThrottle throttle =
      new RegistrationThrottle(database.replica(clock), 3, Duration.ofHours(1));

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Test
  void aClientIsThrottledOnceItsRegistrationsReachTheLimitUntilTheWindowEnds() {
    for (int i = 0; i < 3; i++) {
      assertThatCode(() -> throttle.admit("203.0.113.7")).doesNotThrowAnyException();
      clock.advance(Duration.ofMinutes(10));
    }

    assertThatThrownBy(() -> throttle.admit("203.0.113.7"))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.problem().status()).isEqualTo(429);
          // The window opened with the first registration and ends an hour later, 30 minutes from now.
          assertThat(e.headers()).containsEntry("Retry-After", "1800");
        });
    assertThatCode(() -> throttle.admit("203.0.113.8")).doesNotThrowAnyException();

    clock.advance(Duration.ofMinutes(30));
    assertThatCode(() -> throttle.admit("203.0.113.7")).doesNotThrowAnyException();
  }

  @Test
  void aRegistrationThatWasNotHashedDoesNotCount() {
    for (int i = 0; i < 5; i++) {
      throttle.admit("203.0.113.7");
      throttle.abandoned("203.0.113.7");
    }

    assertThatCode(() -> throttle.admit("203.0.113.7")).doesNotThrowAnyException();
  }

  @Test
  void registrationsOnTwoReplicasUseOneLimit() {
    RegistrationThrottle other = new RegistrationThrottle(database.replica(clock), 3, Duration.ofHours(1));
    throttle.admit("203.0.113.7");
    other.admit("203.0.113.7");
    throttle.admit("203.0.113.7");

    assertThatThrownBy(() -> other.admit("203.0.113.7")).isInstanceOf(ProblemException.class);
  }
}
