package com.mp3converter.gateway.conversions;

import com.mp3converter.shared.messages.DownloadFilenames;
import com.mp3converter.shared.messages.OutputFormat;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of the gateway's job table, as the API shows it. {@code bytes} and {@code durationSeconds} are set once
 * the job completed, {@code errorReason} and {@code errorMessage} once it failed. {@code expiresAt}: when the job's
 * MP3 and record are deleted (retention), set once the job is finished; null while it is not (and for rows of a
 * gateway without retention data). {@code filename}: the worker's name for the file, null when it sent none.
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
    String filename) {

  /**
   * The name the job's file is offered under: the worker's choice (the source's title or name, see
   * {@link DownloadFilenames}), or, for a job whose event carried none, the rule applied to its source URL.
   */
  public String downloadFilename(OutputFormat format) {
    return filename != null ? filename : DownloadFilenames.ofUrl(sourceUrl, id.toString(), format);
  }

  /** Whether the job's retention is over at {@code now}: its MP3 and links are gone (410), or about to be. */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
