package com.mp3converter.gateway.conversions;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the gateway's job table, as the API shows it. {@code bytes} and {@code durationSeconds} are set once
 * the job completed, {@code errorReason} and {@code errorMessage} once it failed. {@code expiresAt}: when the job's
 * MP3 and record are deleted (retention), set once the job is finished; null while it is not (and for rows of a
 * gateway without retention data). An uploaded source has no {@code sourceUrl} but {@code sourceFilename}, the file
 * name its user gave it.
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
    Instant expiresAt,
    String sourceFilename) {

  /** A job whose source is a URL. */
  public Conversion(UUID id, UUID userId, JobStatus status, String sourceUrl, String bitrate, Long bytes,
      Double durationSeconds, String errorReason, String errorMessage, Instant createdAt, Instant updatedAt,
      Instant expiresAt) {
    this(id, userId, status, sourceUrl, bitrate, bytes, durationSeconds, errorReason, errorMessage, createdAt,
        updatedAt, expiresAt, null);
  }

  /** Whether the source is a file the user uploaded (no URL). */
  public boolean uploaded() {
    return sourceUrl == null;
  }

  /** Whether the job's retention is over at {@code now}: its MP3 and links are gone (410), or about to be. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
