package com.mp3converter.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedReadingTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T08:00:00Z"));
  private final AtomicInteger reads = new AtomicInteger();

  @Test
  void theSourceIsAskedAtMostOncePerMaxAge() {
    CachedReading<Integer> reading = new CachedReading<>("test", reads::incrementAndGet, Duration.ofSeconds(15), clock);

    assertThat(reading.get()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(14));
    assertThat(reading.get()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(reading.get()).isEqualTo(2);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aFailedReadingIsNullAndIsNotRetriedBeforeMaxAge() {
    CachedReading<Integer> reading = new CachedReading<>("test", () -> {
      if (reads.incrementAndGet() == 1) {
        throw new IllegalStateException("broker down");
      }
      return 7;
    }, Duration.ofSeconds(15), clock);

    assertThat(reading.get()).isNull();
    assertThat(reading.get()).isNull();
    assertThat(reads).hasValue(1);
    clock.advance(Duration.ofSeconds(15));
    assertThat(reading.get()).isEqualTo(7);
  }
}
