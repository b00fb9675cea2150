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
    Instant completedAt) {

  public static final int VERSION = 1;
}
