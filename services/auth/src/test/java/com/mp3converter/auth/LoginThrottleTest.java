package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.testing.MutableClock;
import com.mp3converter.shared.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The login throttle on its real store: a fresh PostgreSQL database per case, replicas as separate pools. */
class LoginThrottleTest {
  private static final Duration WINDOW = Duration.ofMinutes(15);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ThrottleDatabase database = new ThrottleDatabase();
  private final LoginThrottle throttle = replica();

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Test
  void anAccountIsThrottledForTheClientThatFailedOnly() {
    for (int i = 0; i < 4; i++) {
      fail(throttle, "ann@example.com", "203.0.113.7");
    }
    assertThat(retryAfter(throttle, "ann@example.com", "203.0.113.7")).isZero();

    fail(throttle, "ann@example.com", "203.0.113.7");

    assertThatThrownBy(() -> throttle.admit("ann@example.com", "203.0.113.7"))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.problem().status()).isEqualTo(429);
          assertThat(e.headers()).containsEntry("Retry-After", "900");
        });
    // Whoever failed on purpose does not keep the owner out: another client of the account may still log in.
    assertThat(retryAfter(throttle, "ann@example.com", "198.51.100.1")).isZero();
    assertThat(retryAfter(throttle, "bob@example.com", "203.0.113.7")).isZero();
  }

  @Test
  void failuresSpreadOverClientsDoNotLockTheAccount() {
    for (int i = 0; i < 5; i++) {
      fail(throttle, "ann@example.com", "203.0.113." + i);
    }

    assertThat(retryAfter(throttle, "ann@example.com", "198.51.100.1")).isZero();
    assertThat(retryAfter(throttle, "ann@example.com", "203.0.113.0")).isZero();
  }

  @Test
  void theWindowOpensWithTheFirstFailureAndGivesTheWholeLimitBackAtItsEnd() {
    for (int i = 0; i < 5; i++) {
      fail(throttle, "ann@example.com", "client");
      clock.advance(Duration.ofMinutes(1));
    }
    // Now 5 min after the first failure, which opened the window until minute 15.
    assertThat(retryAfter(throttle, "ann@example.com", "client")).isEqualTo(600);

    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(retryAfter(throttle, "ann@example.com", "client")).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    for (int i = 0; i < 5; i++) {
      fail(throttle, "ann@example.com", "client");
    }
    assertThat(retryAfter(throttle, "ann@example.com", "client")).isEqualTo(900);
  }

  @Test
  void aClientAddressIsThrottledAcrossAccounts() {
    for (int i = 0; i < 20; i++) {
      fail(throttle, "user" + i + "@example.com", "203.0.113.7");
    }

    assertThat(retryAfter(throttle, "fresh@example.com", "203.0.113.7")).isEqualTo(900);
    assertThat(retryAfter(throttle, "fresh@example.com", "203.0.113.8")).isZero();
    // The refusal took nothing: the fresh account still has its whole limit for this client.
    clock.advance(WINDOW);
    for (int i = 0; i < 5; i++) {
      fail(throttle, "fresh@example.com", "203.0.113.7");
    }
    assertThat(retryAfter(throttle, "fresh@example.com", "203.0.113.7")).isEqualTo(900);
  }

  @Test
  void aSuccessfulLoginClearsThatClientsFailuresOnTheAccountOnly() {
    for (int i = 0; i < 5; i++) {
      fail(throttle, "ann@example.com", "203.0.113.7");
    }
    for (int i = 0; i < 4; i++) {
      fail(throttle, "ann@example.com", "198.51.100.1");
    }

    succeed(throttle, "ann@example.com", "198.51.100.1");

    // The owner's count starts again: four more mistakes do not throttle it (4 + 4 would have).
    for (int i = 0; i < 4; i++) {
      fail(throttle, "ann@example.com", "198.51.100.1");
    }
    assertThat(retryAfter(throttle, "ann@example.com", "198.51.100.1")).isZero();
    assertThat(retryAfter(throttle, "ann@example.com", "203.0.113.7")).isEqualTo(900);
  }

  @Test
  void aSuccessfulLoginKeepsTheClientsFailuresAcrossAccountsAndDoesNotCountItself() {
    for (int i = 0; i < 19; i++) {
      fail(throttle, "user" + i + "@example.com", "203.0.113.7");
    }
    for (int i = 0; i < 3; i++) {
      succeed(throttle, "owner@example.com", "203.0.113.7");
    }
    assertThat(retryAfter(throttle, "fresh@example.com", "203.0.113.7")).isZero();

    // Nineteen failures and three successes: the twentieth failure uses the limit up.
    fail(throttle, "user19@example.com", "203.0.113.7");

    assertThat(retryAfter(throttle, "fresh@example.com", "203.0.113.7")).isEqualTo(900);
  }

  @Test
  void anAttemptAbandonedBeforeItsPasswordWasCheckedDoesNotCount() {
    for (int i = 0; i < 10; i++) {
      throttle.admit("ann@example.com", "203.0.113.7");
      throttle.abandoned("ann@example.com", "203.0.113.7");
    }

    assertThat(retryAfter(throttle, "ann@example.com", "203.0.113.7")).isZero();
  }

  @Test
  void failuresSpreadOverTwoReplicasUseOneLimit() {
    LoginThrottle other = replica();
    for (int i = 0; i < 5; i++) {
      fail(i % 2 == 0 ? throttle : other, "ann@example.com", "203.0.113.7");
    }

    assertThat(retryAfter(throttle, "ann@example.com", "203.0.113.7")).isEqualTo(900);
    assertThat(retryAfter(other, "ann@example.com", "203.0.113.7")).isEqualTo(900);
    assertThat(retryAfter(other, "ann@example.com", "198.51.100.1")).isZero();
  }

  @Test
  void aRestartedReplicaStillRefuses() {
    for (int i = 0; i < 5; i++) {
      fail(throttle, "ann@example.com", "203.0.113.7");
    }
    clock.advance(Duration.ofMinutes(5));

    LoginThrottle restarted = replica();

    assertThat(retryAfter(restarted, "ann@example.com", "203.0.113.7")).isEqualTo(600);
  }

  @Test
  void parallelAttemptsOnTwoReplicasGetNoMoreThanTheLimit() throws Exception {
    LoginThrottle other = replica();
    int attempts = 24;
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> admitted = new ArrayList<>();
    try {
      for (int i = 0; i < attempts; i++) {
        LoginThrottle replica = i % 2 == 0 ? throttle : other;
        Callable<Boolean> attempt = () -> {
          start.await();
          try {
            replica.admit("ann@example.com", "203.0.113.7");
            return true;
          } catch (ProblemException refused) {
            return false;
          }
        };
        admitted.add(threads.submit(attempt));
      }
      start.countDown();
      int passed = 0;
      for (Future<Boolean> a : admitted) {
        if (a.get(60, TimeUnit.SECONDS)) {
          passed++;
        }
      }

      assertThat(passed).isEqualTo(5);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void refusesNonsenseLimits() {
    ThrottleBuckets buckets = database.replica(clock);
    assertThatThrownBy(() -> new LoginThrottle(buckets, 0, 20, WINDOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoginThrottle(buckets, 5, 20, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private LoginThrottle replica() {
    return new LoginThrottle(database.replica(clock), 5, 20, WINDOW);
  }

  /** A wrong password: the attempt admitted is kept. */
  private static void fail(LoginThrottle throttle, String account, String client) {
    assertThatCode(() -> throttle.admit(account, client)).doesNotThrowAnyException();
  }

  private static void succeed(LoginThrottle throttle, String account, String client) {
    throttle.admit(account, client);
    throttle.succeeded(account, client);
  }

  /** Seconds a new attempt would have to wait; an attempt that is let in is given back, so nothing changes. */
  private static long retryAfter(LoginThrottle throttle, String account, String client) {
    try {
      throttle.admit(account, client);
      throttle.abandoned(account, client);
      return 0;
    } catch (ProblemException e) {
      return Long.parseLong(e.headers().get("Retry-After"));
    }
  }
}
