package com.mp3converter.notifier;

/**
 * Resend refused this email for what it contains (400, 422 and the like): sending it again cannot succeed, so
 * it is logged, counted and the event acknowledged; the job itself stays as it ended.
 */
public class ResendRejectedException extends ResendException {
  public ResendRejectedException(int status, String message) {
    super(status, message);
  }
}
