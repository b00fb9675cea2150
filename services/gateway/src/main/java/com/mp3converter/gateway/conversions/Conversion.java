package com.mp3converter.gateway.conversions;

import com.mp3converter.shared.messages.DownloadFilenames;
import com.mp3converter.shared.messages.OutputFormat;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the gateway's job table, as the API shows it. {@code bytes} and {@code durationSeconds} are set once
 * the job completed, {@code errorReason} and {@code errorMessage} once it failed. {@code expiresAt}: when the job's
 * MP3 and record are deleted (retention), set once the job is finished; null while it is not (and for rows of a
 * gateway without retention data). {@code filename}: the worker's name for the file, null when it sent none. An
 * uploaded source has no {@code sourceUrl} but {@code sourceFilename}, the file name its user gave it.
 * {@code deletedAt}: when the user deleted the finished job (its MP3 is gone, its links answer 410).
 * {@code attempts}: the attempt that runs or ran last. {@code progress}: 0-100 while processing.
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
    String filename,
    String sourceFilename,
    Instant deletedAt,
    int attempts,
    Integer progress) {

  /** A job of its first attempt whose source is a URL, not deleted, without progress. */
  public Conversion(UUID id, UUID userId, JobStatus status, String sourceUrl, String bitrate, Long bytes,
      Double durationSeconds, String errorReason, String errorMessage, Instant createdAt, Instant updatedAt,
      Instant expiresAt, String filename) {
    this(id, userId, status, sourceUrl, bitrate, bytes, durationSeconds, errorReason, errorMessage, createdAt,
        updatedAt, expiresAt, filename, null, null, 1, null);
  }

  /** Whether the source is a file the user uploaded (no URL). */
  public boolean uploaded() {
    return sourceUrl == null;
  }

  /** Whether the user deleted the job: its record stays only so its links answer 410. */
  public boolean deleted() {
    return deletedAt != null;
  }

  /**
   * The name the job's file is offered under: the worker's choice (the source's title or name, see
   * {@link DownloadFilenames}), or, for a job whose event carried none, the rule applied to its source's name (the
   * URL's last segment or the upload's file name).
   */
  public String downloadFilename(OutputFormat format) {
    if (filename != null) {
      return filename;
    }
    String sourceName = uploaded() ? sourceFilename : DownloadFilenames.urlSourceName(sourceUrl);
    return DownloadFilenames.of(null, sourceName, id.toString(), format);
  }

  /** Whether the job's retention is over at {@code now}: its MP3 and links are gone (410), or about to be. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
