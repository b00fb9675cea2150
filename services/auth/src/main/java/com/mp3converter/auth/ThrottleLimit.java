package com.mp3converter.auth;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * At most {@code limit} attempts per key (a client address, an account and address pair) in a window, counted in
 * {@link ThrottleBuckets}, so on every replica at once. An attempt is taken before the work it stands for and
 * only then done, so concurrent attempts cannot overshoot the limit; an attempt that turns out not to count (a
 * correct password, a hash the pool refused) is given back.
 *
 * <p>The window opens with a key's first attempt; once the limit is used up, attempts are refused until the
 * window ends and the key has its whole limit again (a Bucket4j bucket of {@code limit} tokens refilled all at
 * once every {@code window}). So {@code limit} attempts in a row cost the full window, as with a sliding window;
 * timed around a window's end, up to twice the limit fit in one window's length, while over a long time it
 * stays at {@code limit} per window.
 */
final class ThrottleLimit {
  private final ThrottleBuckets buckets;
  private final String kind;
  private final BucketConfiguration configuration;

  /**
   * @param kind what the keys are (part of the stored id, so the limits of different kinds never share a bucket)
   */
  ThrottleLimit(ThrottleBuckets buckets, String kind, int limit, Duration window) {
    if (limit < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a throttle needs a positive limit and window");
    }
    this.buckets = buckets;
    this.kind = kind;
    this.configuration = BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(limit).refillIntervally(limit, window).build())
        .build();
  }

  /** Takes one attempt for the key: 0 when taken, else the seconds until one is free (and nothing is taken). */
  long tryTake(String key) {
    ConsumptionProbe probe = buckets.bucket(kind, key, configuration).tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? 0 : seconds(probe.getNanosToWaitForRefill());
  }

  /** Seconds until the key may take an attempt, 0 when it may now. */
  long secondsUntilFree(String key) {
    return seconds(buckets.bucket(kind, key, configuration).estimateAbilityToConsume(1).getNanosToWaitForRefill());
  }

  /** Returns an attempt taken for the key that did not count. */
  void giveBack(String key) {
    buckets.bucket(kind, key, configuration).addTokens(1);
  }

  /** Gives the key its whole limit again. */
  void forget(String key) {
    buckets.remove(kind, key);
  }

  /** Rounded up: a client that waits exactly Retry-After seconds must find an attempt free. */
  private static long seconds(long nanos) {
    if (nanos <= 0) {
      return 0;
    }
    Duration left = Duration.ofNanos(nanos);
    return Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
  }
}
