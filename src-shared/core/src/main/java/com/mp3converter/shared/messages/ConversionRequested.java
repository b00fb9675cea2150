package com.mp3converter.shared.messages;

import java.time.Instant;

/** A conversion job, published by the gateway with routing key {@code conversion.requested}. */
public record ConversionRequested(
    int v,
    String jobId,
    String userId,
    String email,
    String name,
    String sourceUrl,
    String bitrate,
    Instant requestedAt,
    int attempt) {

  public static final int VERSION = 1;

  /**
   * Retrying a failed job publishes it again with the next attempt. {@code attempt}: which attempt at the job this
   * is (1, then one more per retry); a message from before attempts existed has none and is the first.
   */
  public ConversionRequested {
    attempt = Math.max(1, attempt);
  }

  /** The first attempt. */
  public ConversionRequested(int v, String jobId, String userId, String email, String name, String sourceUrl,
      String bitrate, Instant requestedAt) {
    this(v, jobId, userId, email, name, sourceUrl, bitrate, requestedAt, 1);
  }
}
