package com.mp3converter.auth;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: failed logins are counted in a sliding window per account (the normalised
 * email, known or not, so the throttle does not reveal which accounts exist) and per client address. Once
 * either has used up its limit, logins for it are refused with 429 until its oldest failure leaves the window.
 *
 * <p>In memory and per replica: a restart or another replica starts afresh, which is acceptable for a brake
 * whose limits are small. Check and record are separate steps, so concurrent attempts may overshoot a limit by
 * the number of requests in flight.
 */
public final class LoginThrottle {
  private final SlidingWindow accounts;
  private final SlidingWindow clients;

  public LoginThrottle(int accountLimit, int clientLimit, Duration window, int maxTrackedKeys, Clock clock) {
    this.accounts = new SlidingWindow(accountLimit, window, maxTrackedKeys, clock);
    this.clients = new SlidingWindow(clientLimit, window, maxTrackedKeys, clock);
  }

  /** Refuses the attempt with a 429 (and Retry-After) when the account or the client is throttled. */
  public void check(String account, String client) {
    long retryAfter = Math.max(accounts.retryAfterSeconds(account), clients.retryAfterSeconds(client));
    if (retryAfter > 0) {
      throw ProblemException.tooManyRequests("Too many failed logins; try again later.", retryAfter);
    }
  }

  public void recordFailure(String account, String client) {
    accounts.record(account);
    clients.record(client);
  }

  /** The right password ends the account's run of failures; the client's record stays. */
  public void recordSuccess(String account) {
    accounts.forget(account);
  }

  /**
   * Failure times per key, at most {@code limit} of them, all inside the window. A key's times are only touched
   * inside the map's per-key atomic operations, which also drop a key once its times have all expired.
   */
  static final class SlidingWindow {
    private final int limit;
    private final Duration window;
    private final int maxTrackedKeys;
    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

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
      failures.computeIfPresent(key, (k, times) -> {
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
      if (failures.size() >= maxTrackedKeys) {
        sweep(now);
      }
      failures.compute(key, (k, times) -> {
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
      failures.remove(key);
    }

    int trackedKeys() {
      return failures.size();
    }

    /** Bounds memory when many keys fail once (sprayed emails or addresses): drops those that expired. */
    private void sweep(Instant now) {
      for (String key : failures.keySet()) {
        failures.computeIfPresent(key, (k, times) -> {
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
}
