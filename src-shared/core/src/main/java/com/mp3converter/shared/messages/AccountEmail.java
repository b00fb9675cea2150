package com.mp3converter.shared.messages;

/**
 * An email about an account ({@code account.email}), written by auth to its outbox in the transaction that made
 * the reason for it and published from there. {@code messageId} identifies the email (the notifier's record and
 * Resend's Idempotency-Key); {@code link} is the single-use link of a {@code verify} or {@code password-reset}
 * email and null for {@code already-registered}.
 */
public record AccountEmail(
    int v, String messageId, String userId, String email, String name, String kind, String link) {

  public static final int VERSION = 1;

  /** Registration of an unverified address: the link verifies it. */
  public static final String VERIFY = "verify";
  /** Registration of an address that has a verified account: nothing to verify, a hint to reset the password. */
  public static final String ALREADY_REGISTERED = "already-registered";
  /** The link sets a new password. */
  public static final String PASSWORD_RESET = "password-reset";

  @Override
  public String toString() {
    return "AccountEmail[messageId=" + messageId + ", userId=" + userId + ", kind=" + kind + "]";
  }
}
