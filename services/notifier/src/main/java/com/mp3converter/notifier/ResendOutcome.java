package com.mp3converter.notifier;

/**
 * Resend took the email.
 *
 * @param emailId Resend's id of the email (null when it answered without one)
 * @param duplicate true when Resend had already sent an email with this idempotency key (a redelivered event)
 */
public record ResendOutcome(String emailId, boolean duplicate) {
  /** The metric tag for this outcome. */
  public String label() {
    return duplicate ? "duplicate" : "sent";
  }
}
