package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
  private static final Duration WINDOW = Duration.ofMinutes(15);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void expiredKeysAreSweptWhenTheTableIsFull() {
    var window = new SlidingWindow(5, WINDOW, 100, clock);
    for (int i = 0; i < 100; i++) {
      window.record("key-" + i);
    }
    clock.advance(WINDOW);
    window.record("late");

    assertThat(window.trackedKeys()).isEqualTo(1);
  }
}
