package com.mp3converter.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedReadingTest {
  /** A clock the test moves by hand. */
  static final class HandClock extends Clock {
    Instant now = Instant.parse("2026-12-05T08:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final HandClock clock = new HandClock();
  private final AtomicInteger reads = new AtomicInteger();

  @Test
  void theSourceIsAskedAtMostOncePerMaxAge() {
    CachedReading<Integer> reading = new CachedReading<>("test", reads::incrementAndGet, Duration.ofSeconds(15), clock);

    assertThat(reading.get()).isEqualTo(1);
    clock.now = clock.now.plusSeconds(14);
    assertThat(reading.get()).isEqualTo(1);
    clock.now = clock.now.plusSeconds(1);
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
    clock.now = clock.now.plusSeconds(15);
    assertThat(reading.get()).isEqualTo(7);
  }
}
