package com.mp3converter.shared.messages;

import java.time.Instant;

/**
 * The converted file is stored under {@code objectKey} ({@code conversion.completed}).
 *
 * @param filename the name the file is offered under ({@link DownloadFilenames}); optional, absent from events of
 *     workers older than it, so a consumer falls back to the rule itself
 */
public record ConversionCompleted(
    int v,
    String jobId,
    String userId,
    String email,
    String name,
    String objectKey,
    long bytes,
    double durationSeconds,
    Instant completedAt,
    String filename,
    int attempt) {

  public static final int VERSION = 1;

  /**
   * {@code attempt}: the attempt at the job that produced this file (1 unless the job was retried); a message
   * from before attempts existed has none and is the first.
   */
  public ConversionCompleted {
    attempt = Math.max(1, attempt);
  }

  /** An event without a filename, as workers before it sent (a field added within version 1), of a first attempt. */
  public ConversionCompleted(int v, String jobId, String userId, String email, String name, String objectKey,
      long bytes, double durationSeconds, Instant completedAt) {
    this(v, jobId, userId, email, name, objectKey, bytes, durationSeconds, completedAt, null, 1);
  }

  /** The event of a job's first attempt. */
  public ConversionCompleted(int v, String jobId, String userId, String email, String name, String objectKey,
      long bytes, double durationSeconds, Instant completedAt, String filename) {
    this(v, jobId, userId, email, name, objectKey, bytes, durationSeconds, completedAt, filename, 1);
  }
}
