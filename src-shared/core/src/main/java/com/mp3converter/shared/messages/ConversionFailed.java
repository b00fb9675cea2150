package com.mp3converter.shared.messages;

import java.time.Instant;

/**
 * The job ended without a converted file ({@code conversion.failed}). {@code reason} is a stable {@link FailureReason}
 * code; {@code message} is a sentence a user can read, never a stack trace or an internal path.
 */
public record ConversionFailed(
    int v,
    String jobId,
    String userId,
    String email,
    String name,
    String reason,
    String message,
    Instant failedAt,
    int attempt) {

  public static final int VERSION = 1;

  /**
   * {@code attempt}: the attempt at the job that failed (1 unless the job was retried); a message from before
   * attempts existed has none and is the first.
   */
  public ConversionFailed {
    attempt = Math.max(1, attempt);
  }

  /** The first attempt. */
  public ConversionFailed(int v, String jobId, String userId, String email, String name, String reason,
      String message, Instant failedAt) {
    this(v, jobId, userId, email, name, reason, message, failedAt, 1);
  }
}
