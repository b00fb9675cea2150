package com.mp3converter.gateway.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's gauges that read the broker and the database.
 *
 * @param stuckProcessingAfter a job in processing whose row has not changed for this long counts as stuck
 *     ({@code mp3_jobs_stuck_processing}): above the longest job that still runs normally, below
 *     mp3.recovery.stuck-after, when the gateway re-queues it
 * @param readingMaxAge how old a reading may be before a scrape asks the broker or the database again
 */
@ConfigurationProperties("mp3.metrics")
public record MetricsProperties(
    @DefaultValue("30m") Duration stuckProcessingAfter,
    @DefaultValue("15s") Duration readingMaxAge) {

  public MetricsProperties {
    if (stuckProcessingAfter.isNegative() || stuckProcessingAfter.isZero() || readingMaxAge.isNegative()
        || readingMaxAge.isZero()) {
      throw new IllegalArgumentException("mp3.metrics.* must be positive");
    }
  }
}
