package com.mp3converter.gateway.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reading from the broker or the database behind a gauge, taken at most once per {@code maxAge}: every scrape
 * (and every replica of Prometheus) asks, and the source is asked only when the last reading is old. A failed
 * reading is null (the gauge shows NaN, so a dashboard shows a gap rather than a made-up zero) and is retried after
 * {@code maxAge} too, so a source that is down is not hammered by scrapes.
 */
public final class CachedReading<T> implements Supplier<T> {
  private static final Logger LOG = LoggerFactory.getLogger(CachedReading.class);

  private final String what;
  private final Supplier<T> source;
  private final Duration maxAge;
  private final Clock clock;
  private T value;
  private Instant readAt;

  public CachedReading(String what, Supplier<T> source, Duration maxAge, Clock clock) {
    this.what = what;
    this.source = source;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  @Override
  public synchronized T get() {
    Instant now = clock.instant();
    if (readAt == null || !now.isBefore(readAt.plus(maxAge))) {
      readAt = now;
      try {
        value = source.get();
      } catch (RuntimeException e) {
        LOG.debug("No reading of {} for the metrics: {}", what, e.toString());
        value = null;
      }
    }
    return value;
  }
}
