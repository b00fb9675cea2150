package com.mp3converter.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway keeps its promise for jobs nobody else will finish (routes/gateway/recovery.camel.yaml).
 *
 * @param intervalMs how often the checks run
 * @param unpublishedAfter a queued job whose publication was never confirmed (the gateway died between storing
 *     and publishing it) is published after this long; well above the confirm timeout of a running intake
 * @param stuckAfter a published job that has not moved for this long (no started, completed or failed event)
 *     is re-queued; well above the longest job (download, probe and ffmpeg timeouts together)
 * @param maxRequeues re-queues before the job is failed with {@code timeout} and its user is told
 * @param batchSize jobs taken per check and kind, so one check never holds the database for long
 */
@ConfigurationProperties("mp3.recovery")
public record RecoveryProperties(
    @DefaultValue("30000") long intervalMs,
    @DefaultValue("60s") Duration unpublishedAfter,
    @DefaultValue("1h") Duration stuckAfter,
    @DefaultValue("2") int maxRequeues,
    @DefaultValue("50") int batchSize) {

  public RecoveryProperties {
    if (intervalMs <= 0 || unpublishedAfter.isNegative() || stuckAfter.isNegative() || maxRequeues < 0
        || batchSize <= 0) {
      throw new IllegalArgumentException("mp3.recovery.* must be positive");
    }
  }
}
