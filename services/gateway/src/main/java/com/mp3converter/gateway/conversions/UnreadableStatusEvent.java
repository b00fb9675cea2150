package com.mp3converter.gateway.conversions;

/** A status event that can never be applied (bad JSON, unknown routing key, no job id): it goes to the DLQ. */
public class UnreadableStatusEvent extends RuntimeException {
  public UnreadableStatusEvent(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
