package com.mp3converter.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Event times per key (failed logins, registrations), at most {@code limit} of them, all inside the window. A
 * key's times are only touched inside the map's per-key atomic operations, which also drop a key once its times
 * have all expired. In memory and per replica (see {@link LoginThrottle}).
 */
final class SlidingWindow {
  private final int limit;
  private final Duration window;
  private final int maxTrackedKeys;
  private final Clock clock;
  private final ConcurrentHashMap<String, Deque<Instant>> events = new ConcurrentHashMap<>();

  SlidingWindow(int limit, Duration window, int maxTrackedKeys, Clock clock) {
    if (limit < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a throttle needs a positive limit and window");
    }
    this.limit = limit;
    this.window = window;
    this.maxTrackedKeys = maxTrackedKeys;
    this.clock = clock;
  }

  /** Seconds until the key may try again, 0 when it may try now. */
  long retryAfterSeconds(String key) {
    Instant now = clock.instant();
    long[] wait = {0};
    events.computeIfPresent(key, (k, times) -> {
      expire(times, now);
      if (times.size() >= limit) {
        Duration left = Duration.between(now, times.peekFirst().plus(window));
        // Round up: a client that waits exactly Retry-After seconds must find the window open.
        wait[0] = Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
      }
      return times.isEmpty() ? null : times;
    });
    return wait[0];
  }

  void record(String key) {
    Instant now = clock.instant();
    if (events.size() >= maxTrackedKeys) {
      sweep(now);
    }
    events.compute(key, (k, times) -> {
      Deque<Instant> kept = times == null ? new ArrayDeque<>() : times;
      expire(kept, now);
      kept.addLast(now);
      while (kept.size() > limit) {
        kept.removeFirst();
      }
      return kept;
    });
  }

  void forget(String key) {
    events.remove(key);
  }

  int trackedKeys() {
    return events.size();
  }

  /** Bounds memory when many keys are seen once (sprayed emails or addresses): drops those that expired. */
  private void sweep(Instant now) {
    for (String key : events.keySet()) {
      events.computeIfPresent(key, (k, times) -> {
        expire(times, now);
        return times.isEmpty() ? null : times;
      });
    }
  }

  private void expire(Deque<Instant> times, Instant now) {
    Instant oldestKept = now.minus(window);
    while (!times.isEmpty() && !times.peekFirst().isAfter(oldestKept)) {
      times.removeFirst();
    }
  }
}
