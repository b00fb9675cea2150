package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The throttles' table: what its rows hold and that it does not grow without bound. */
class ThrottleBucketsTest {
  private final ThrottleDatabase database = new ThrottleDatabase();
  // Bucket4j reckons expiry on the system clock, so this store runs on it, keeping nothing past a refill.
  private final ThrottleBuckets buckets =
      new ThrottleBuckets(database.newPool(), Clock.systemUTC(), Duration.ZERO);

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  @Test
  void rowsNameNeitherTheEmailNorTheAddress() {
    new LoginThrottle(buckets, 5, 20, Duration.ofMinutes(15)).admit("ann.secret@example.com", "203.0.113.77");

    List<String> ids = database.jdbc().queryForList("SELECT id FROM throttle_buckets ORDER BY id", String.class);

    assertThat(ids).hasSize(2).allSatisfy(id -> assertThat(id)
        .doesNotContain("ann", "example", "203.0.113")
        .matches("login-(account-client|client):[A-Za-z0-9_-]{43}"));
  }

  @Test
  void refilledBucketsAreRemovedAndTheOthersKept() {
    LoginThrottle shortWindow = new LoginThrottle(buckets, 5, 20, Duration.ofSeconds(1));
    LoginThrottle longWindow = new LoginThrottle(buckets, 5, 20, Duration.ofMinutes(15));
    for (int i = 0; i < 50; i++) {
      shortWindow.admit("sprayed" + i + "@example.com", "198.51.100." + i);
    }
    longWindow.admit("ann@example.com", "203.0.113.7");
    assertThat(rows()).isEqualTo(102);

    AtomicInteger removed = new AtomicInteger();
    await().atMost(Duration.ofSeconds(30)).until(() -> removed.addAndGet(buckets.removeExpired()) == 100);

    assertThat(rows()).isEqualTo(2);
    // The long window's failure is still counted: four more use its limit up.
    for (int i = 0; i < 4; i++) {
      longWindow.admit("ann@example.com", "203.0.113.7");
    }
    assertThat(throttled(longWindow, "ann@example.com", "203.0.113.7")).isTrue();
  }

  @Test
  void aRowLeftHalfWrittenIsRemovedToo() {
    // Bucket4j inserts a bare id first and fills it in the next transaction; a crash between leaves this.
    database.jdbc().update("INSERT INTO throttle_buckets (id) VALUES ('login-client:orphan')");

    assertThat(buckets.removeExpired()).isEqualTo(1);
    assertThat(rows()).isZero();
  }

  private static boolean throttled(LoginThrottle throttle, String account, String client) {
    try {
      throttle.admit(account, client);
      throttle.abandoned(account, client);
      return false;
    } catch (ProblemException refused) {
      return true;
    }
  }

  private int rows() {
    return database.jdbc().queryForObject("SELECT count(*) FROM throttle_buckets", Integer.class);
  }
}
