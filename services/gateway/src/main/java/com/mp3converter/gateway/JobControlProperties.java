package com.mp3converter.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Job control and progress (DELETE /conversions/{id}, POST /conversions/{id}/retry, GET /conversions/{id}/events).
 *
 * @param maxAttempts attempts a job may have in all (MP3_MAX_ATTEMPTS): a failed job at this many is not retried
 *     again (409)
 * @param eventsMaxPerUser event streams one user may hold open at once (MP3_EVENTS_MAX_PER_USER); one more: 429
 * @param eventsMaxTotal event streams this gateway instance holds open at once (MP3_EVENTS_MAX_TOTAL); one more: 503
 * @param eventsHeartbeat how often an open stream gets a comment line (MP3_EVENTS_HEARTBEAT), so proxies keep it
 *     open and a client that went away is noticed
 * @param eventsPollInterval how often the watched jobs are read from the database: every gateway instance sees
 *     every change this way, whichever instance applied the event
 * @param eventsTimeout the longest a stream stays open (MP3_EVENTS_TIMEOUT); the client reconnects after it
 */
@ConfigurationProperties("mp3.job-control")
public record JobControlProperties(
    @DefaultValue("3") int maxAttempts,
    @DefaultValue("3") int eventsMaxPerUser,
    @DefaultValue("200") int eventsMaxTotal,
    @DefaultValue("15s") Duration eventsHeartbeat,
    @DefaultValue("500ms") Duration eventsPollInterval,
    @DefaultValue("30m") Duration eventsTimeout) {

  public JobControlProperties {
    if (maxAttempts < 1 || eventsMaxPerUser < 1 || eventsMaxTotal < 1 || eventsHeartbeat.isNegative()
        || eventsHeartbeat.isZero() || eventsPollInterval.isNegative() || eventsPollInterval.isZero()
        || eventsTimeout.isNegative() || eventsTimeout.isZero()) {
      throw new IllegalArgumentException("mp3.job-control.* must be positive");
    }
  }
}
