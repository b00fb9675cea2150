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
    Instant failedAt) {

  public static final int VERSION = 1;
}
