package com.mp3converter.notifier;

/**
 * A passing refusal (429, 5xx, a concurrent request with the same key): the same request is tried again later,
 * after the backoff or, for a 429, after its {@code retry-after} (see {@link ResendResponses#redeliveryDelayMillis}).
 */
public class ResendRetryableException extends ResendException {
  public ResendRetryableException(int status, String message) {
    super(status, message);
  }
}
