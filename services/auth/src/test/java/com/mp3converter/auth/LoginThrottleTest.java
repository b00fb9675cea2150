package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final Duration WINDOW = Duration.ofMinutes(15);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final LoginThrottle throttle = new LoginThrottle(5, 20, WINDOW, 1000, clock);

  @Test
  void anAccountIsThrottledForTheClientThatFailedOnly() {
    for (int i = 0; i < 4; i++) {
      throttle.recordFailure("ann@example.com", "203.0.113.7");
    }
    assertThatCode(() -> throttle.check("ann@example.com", "203.0.113.7")).doesNotThrowAnyException();

    throttle.recordFailure("ann@example.com", "203.0.113.7");

    assertThatThrownBy(() -> throttle.check("ann@example.com", "203.0.113.7"))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.problem().status()).isEqualTo(429);
          assertThat(e.headers()).containsEntry("Retry-After", "900");
        });
    // Whoever failed on purpose does not keep the owner out: another client of the account may still log in.
    assertThatCode(() -> throttle.check("ann@example.com", "198.51.100.1")).doesNotThrowAnyException();
    assertThatCode(() -> throttle.check("bob@example.com", "203.0.113.7")).doesNotThrowAnyException();
  }

  @Test
  void failuresSpreadOverClientsDoNotLockTheAccount() {
    for (int i = 0; i < 5; i++) {
      throttle.recordFailure("ann@example.com", "203.0.113." + i);
    }

    assertThatCode(() -> throttle.check("ann@example.com", "198.51.100.1")).doesNotThrowAnyException();
    assertThatCode(() -> throttle.check("ann@example.com", "203.0.113.0")).doesNotThrowAnyException();
  }

  @Test
  void theWindowSlidesFailureByFailure() {
    for (int i = 0; i < 5; i++) {
      throttle.recordFailure("ann@example.com", "client");
      clock.advance(Duration.ofMinutes(1));
    }
    // Now 5 min after the first failure, which leaves the window at minute 15.
    assertThat(retryAfter("ann@example.com", "client")).isEqualTo(600);

    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(retryAfter("ann@example.com", "client")).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    assertThatCode(() -> throttle.check("ann@example.com", "client")).doesNotThrowAnyException();

    // One slot freed, one more failure fills it again; the next slot frees a minute later.
    throttle.recordFailure("ann@example.com", "client");
    assertThat(retryAfter("ann@example.com", "client")).isEqualTo(60);
  }

  @Test
  void aClientAddressIsThrottledAcrossAccounts() {
    for (int i = 0; i < 20; i++) {
      throttle.recordFailure("user" + i + "@example.com", "203.0.113.7");
    }

    assertThat(retryAfter("fresh@example.com", "203.0.113.7")).isEqualTo(900);
    assertThatCode(() -> throttle.check("fresh@example.com", "203.0.113.8")).doesNotThrowAnyException();
  }

  @Test
  void aSuccessfulLoginClearsThatClientsFailuresOnTheAccountOnly() {
    for (int i = 0; i < 5; i++) {
      throttle.recordFailure("ann@example.com", "203.0.113.7");
    }
    for (int i = 0; i < 4; i++) {
      throttle.recordFailure("ann@example.com", "198.51.100.1");
    }

    throttle.recordSuccess("ann@example.com", "198.51.100.1");

    // The owner's count starts again: four more mistakes do not throttle it (4 + 4 would have).
    for (int i = 0; i < 4; i++) {
      throttle.recordFailure("ann@example.com", "198.51.100.1");
    }
    assertThatCode(() -> throttle.check("ann@example.com", "198.51.100.1")).doesNotThrowAnyException();
    assertThat(retryAfter("ann@example.com", "203.0.113.7")).isEqualTo(900);
  }

  @Test
  void aSuccessfulLoginKeepsTheClientsFailuresAcrossAccounts() {
    for (int i = 0; i < 20; i++) {
      throttle.recordFailure("user" + i + "@example.com", "203.0.113.7");
    }

    throttle.recordSuccess("user0@example.com", "203.0.113.7");

    assertThat(retryAfter("fresh@example.com", "203.0.113.7")).isEqualTo(900);
  }

  @Test
  void refusesNonsenseLimits() {
    assertThatThrownBy(() -> new LoginThrottle(0, 20, WINDOW, 10, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoginThrottle(5, 20, Duration.ZERO, 10, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private long retryAfter(String account, String client) {
    try {
      throttle.check(account, client);
      return 0;
    } catch (ProblemException e) {
      return Long.parseLong(e.headers().get("Retry-After"));
    }
  }
}
