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
    String filename) {

  public static final int VERSION = 1;

  /** An event without a filename, as workers before it sent (a field added within version 1). */
  public ConversionCompleted(int v, String jobId, String userId, String email, String name, String objectKey,
      long bytes, double durationSeconds, Instant completedAt) {
    this(v, jobId, userId, email, name, objectKey, bytes, durationSeconds, completedAt, null);
  }
}
