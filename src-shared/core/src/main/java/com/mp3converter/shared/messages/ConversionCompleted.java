package com.mp3converter.shared.messages;

import java.time.Instant;

/** The converted file is stored under {@code objectKey} ({@code conversion.completed}). */
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
    int attempt) {

  public static final int VERSION = 1;

  /**
   * {@code attempt}: the attempt at the job that produced this file (1 unless the job was retried); a message
   * from before attempts existed has none and is the first.
   */
  public ConversionCompleted {
    attempt = Math.max(1, attempt);
  }

  /** The first attempt. */
  public ConversionCompleted(int v, String jobId, String userId, String email, String name, String objectKey,
      long bytes, double durationSeconds, Instant completedAt) {
    this(v, jobId, userId, email, name, objectKey, bytes, durationSeconds, completedAt, 1);
  }
}
