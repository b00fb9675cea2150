package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HashingPoolTest {
  @Test
  void aBurstBiggerThanThePoolIsRefusedAtOnceWhileTheAcceptedWorkFinishes() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(3);
    CountDownLatch release = new CountDownLatch(1);
    try (HashingPool pool = new HashingPool(2, 1)) {
      List<Future<String>> accepted = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String name = "work-" + i;
        accepted.add(callers.submit(() -> pool.run(() -> {
          awaitQuietly(release);
          return name;
        })));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> pool.running() == 2 && pool.queued() == 1);

      AtomicInteger ran = new AtomicInteger();
      for (int i = 0; i < 10; i++) {
        assertThatThrownBy(() -> pool.run(ran::incrementAndGet))
            .isInstanceOfSatisfying(ProblemException.class, e -> {
              assertThat(e.problem().status()).isEqualTo(503);
              assertThat(e.problem().type()).isEqualTo("/problems/password-hashing-busy");
              assertThat(e.headers()).containsKey("Retry-After");
            });
      }
      assertThat(pool.running()).isEqualTo(2);
      assertThat(pool.queued()).isEqualTo(1);

      release.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> result : accepted) {
        results.add(result.get(10, TimeUnit.SECONDS));
      }
      assertThat(results).containsExactly("work-0", "work-1", "work-2");
      assertThat(ran).as("refused work never runs").hasValue(0);
      assertThat(pool.run(() -> "free again")).isEqualTo("free again");
    } finally {
      release.countDown();
      callers.shutdownNow();
    }
  }

  @Test
  void withoutAQueueWorkRunsAtOnceOrIsRefused() throws Exception {
    ExecutorService callers = Executors.newSingleThreadExecutor();
    CountDownLatch release = new CountDownLatch(1);
    try (HashingPool pool = new HashingPool(1, 0)) {
      Future<Integer> held = callers.submit(() -> pool.run(() -> {
        awaitQuietly(release);
        return 1;
      }));
      await().atMost(Duration.ofSeconds(10)).until(() -> pool.running() == 1);

      assertThatThrownBy(() -> pool.run(() -> 2)).isInstanceOf(ProblemException.class);

      release.countDown();
      assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    } finally {
      release.countDown();
      callers.shutdownNow();
    }
  }

  @Test
  void aFailureInsideTheWorkReachesTheCallerAsItIs() {
    try (HashingPool pool = new HashingPool(1, 1)) {
      IllegalArgumentException failure = new IllegalArgumentException("not a hash");

      assertThatThrownBy(() -> pool.run(() -> {
        throw failure;
      })).isSameAs(failure);
    }
  }

  @Test
  void zeroThreadsMeansOnePerCore() {
    try (HashingPool pool = new HashingPool(0, 1)) {
      assertThat(pool.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
  }

  @Test
  void refusesANegativeQueue() {
    assertThatThrownBy(() -> new HashingPool(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
