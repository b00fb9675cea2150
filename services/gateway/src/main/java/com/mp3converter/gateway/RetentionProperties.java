package com.mp3converter.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long finished jobs are kept (routes/gateway/retention.camel.yaml).
 *
 * @param period how long a finished job's MP3, its record and its download links live (MP3_RETENTION); the one
 *     lifetime of all three: a download link expires with its file, so no link outlives the MP3 it names
 * @param intervalMs how often the retention sweep looks for expired jobs; a job taken by a sweep that could not
 *     delete it is taken again one interval later
 * @param batchSize jobs deleted per sweep at most, so one sweep never holds the database or S3 for long
 */
@ConfigurationProperties("mp3.retention")
public record RetentionProperties(
    @DefaultValue("7d") Duration period,
    @DefaultValue("60000") long intervalMs,
    @DefaultValue("100") int batchSize) {

  public RetentionProperties {
    if (period.isNegative() || period.isZero() || intervalMs <= 0 || batchSize <= 0) {
      throw new IllegalArgumentException("mp3.retention.* must be positive");
    }
  }

  public Duration interval() {
    return Duration.ofMillis(intervalMs);
  }
}
