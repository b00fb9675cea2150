package com.mp3converter.gateway.conversions;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the gateway's job table, as the API shows it. {@code bytes} and {@code durationSeconds} are set once
 * the job completed, {@code errorReason} and {@code errorMessage} once it failed. {@code expiresAt}: when the job's
 * MP3 and record are deleted (retention), set once the job is finished; null while it is not (and for rows of a
 * gateway without retention data).
 */
public record Conversion(
    UUID id,
    UUID userId,
    JobStatus status,
    String sourceUrl,
    String bitrate,
    Long bytes,
    Double durationSeconds,
    String errorReason,
    String errorMessage,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt) {

  /** Whether the job's retention is over at {@code now}: its MP3 and links are gone (410), or about to be. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
