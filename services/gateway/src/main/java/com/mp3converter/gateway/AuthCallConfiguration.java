package com.mp3converter.gateway;

import com.mp3converter.gateway.web.AuthHttpClientConfigurer;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import org.apache.camel.component.http.HttpComponent;
import org.springframework.boot.autoconfigure.task.TaskExecutionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the calls to auth go through (routes/gateway/auth-forward.camel.yaml): their own HTTP client and the
 * circuit breaker around them; the route's bulkhead bounds how many are in flight ({@link AuthCallProperties}).
 */
@Configuration(proxyBeanMethods = false)
public class AuthCallConfiguration {
  /** Calls that reached auth and are judged together: the circuit opens only when every one of them failed. */
  static final int JUDGED_CALLS = 10;

  /** How long an open circuit refuses calls before letting a few through; the 503's Retry-After says the same. */
  static final Duration OPEN_FOR = Duration.ofSeconds(5);

  /**
   * The camel-http component of the calls to auth alone: no retries, as many connections as calls allowed at
   * once, short timeouts. Refuses a limit that could take every request thread.
   */
  @Bean
  HttpComponent authHttp(AuthCallProperties calls, TaskExecutionProperties requestThreads) {
    calls.requireBelow(requestThreads.getPool().getCoreSize());
    return AuthHttpClientConfigurer.component(calls.maxConcurrent(), calls.connectTimeout(), calls.timeout());
  }

  /**
   * Opens when the last {@value #JUDGED_CALLS} calls to auth all failed (auth down, or slower than the timeout),
   * and then refuses at once instead of waiting on it. Auth's own answers, 4xx and 5xx, are not failures. A call
   * the full bulkhead refused is not judged either: it says nothing about auth, and counting it would let a
   * flood against a healthy auth open the circuit and refuse every login.
   */
  @Bean
  CircuitBreaker authCircuit() {
    return CircuitBreaker.of("auth", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(JUDGED_CALLS)
        .minimumNumberOfCalls(JUDGED_CALLS)
        .failureRateThreshold(100)
        .waitDurationInOpenState(OPEN_FOR)
        .ignoreExceptions(BulkheadFullException.class)
        .build());
  }
}
