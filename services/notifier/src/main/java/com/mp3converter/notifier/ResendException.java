package com.mp3converter.notifier;

/** Resend did not accept an email; the subclass says what the notifier does about it. */
public abstract class ResendException extends RuntimeException {
  private final int status;

  protected ResendException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status Resend answered with. */
  public int status() {
    return status;
  }
}
