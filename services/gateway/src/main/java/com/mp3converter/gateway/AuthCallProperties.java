package com.mp3converter.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway calls auth (routes/gateway/auth-forward.camel.yaml): never more than {@code maxConcurrent} calls
 * at once, each bounded by {@code connectTimeout} and {@code timeout}. Every API request runs its route on one of
 * Spring's request threads ({@code spring.task.execution.pool.core-size}); a call to auth holds one while it waits,
 * so {@code maxConcurrent} stays below that number and a slow or throttling auth always leaves threads for the rest
 * of the API.
 *
 * @param maxConcurrent calls to auth in flight at once (the bulkhead and the connection pool); one more is
 *     answered 503 at once
 * @param connectTimeout how long a call waits for a connection to auth
 * @param timeout how long a call waits for auth's answer
 */
@ConfigurationProperties("mp3.auth-calls")
public record AuthCallProperties(
    @DefaultValue("4") int maxConcurrent,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("5s") Duration timeout) {

  public AuthCallProperties {
    if (maxConcurrent <= 0 || !positive(connectTimeout) || !positive(timeout)) {
      throw new IllegalArgumentException("mp3.auth-calls.* must be positive");
    }
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  /** Refuses a limit that would let calls to auth take every request thread. */
  void requireBelow(int requestThreads) {
    if (maxConcurrent >= requestThreads) {
      throw new IllegalStateException("mp3.auth-calls.max-concurrent (" + maxConcurrent + ") must stay below the "
          + "request threads (spring.task.execution.pool.core-size, " + requestThreads + "), or a slow auth "
          + "could hold all of them");
    }
  }
}
