package com.mp3converter.notifier;

import java.time.Duration;
import java.util.Optional;

/** A passing refusal (429, 5xx, a concurrent request with the same key): the same request is tried again later. */
public class ResendRetryableException extends ResendException {
  private final Duration retryAfter;

  public ResendRetryableException(int status, String message, Duration retryAfter) {
    super(status, message);
    this.retryAfter = retryAfter;
  }

  /** How long Resend asked us to wait (429 {@code retry-after}); empty: use the exponential backoff. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
