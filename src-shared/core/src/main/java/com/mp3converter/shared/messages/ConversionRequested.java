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
    Instant requestedAt) {

  public static final int VERSION = 1;
}
