package com.mp3converter.shared.token;

/** A token that must not be honoured; {@link #expired()} separates "was valid once" from "never valid". */
public class InvalidTokenException extends RuntimeException {
  private final boolean expired;

  public InvalidTokenException(String message, boolean expired, Throwable cause) {
    super(message, cause, false, false);
    this.expired = expired;
  }

  public boolean expired() {
    return expired;
  }
}
