package com.mp3converter.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The warm-up before readiness (web.RejectionWarmUp): forged download links sent to the gateway's own port over
 * loopback, so the code that rejects them is compiled before the first real request arrives.
 *
 * @param enabled off: the gateway is ready as soon as it has started (MP3_WARM_UP)
 * @param duration how long the warm-up sends requests (MP3_WARM_UP_DURATION); readiness waits this long more
 * @param connections the warm-up's connections, each sending its next request when the last is answered
 */
@ConfigurationProperties("mp3.warm-up")
public record WarmUpProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("2s") Duration duration,
    @DefaultValue("4") int connections) {

  public WarmUpProperties {
    if (duration.isNegative() || duration.compareTo(Duration.ofMinutes(1)) > 0 || connections <= 0
        || connections > 64) {
      throw new IllegalArgumentException(
          "mp3.warm-up.duration must be between 0 and 1 minute, mp3.warm-up.connections between 1 and 64");
    }
  }
}
