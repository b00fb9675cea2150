package com.mp3converter.shared.messages;

import java.time.Instant;

/** The worker took the job ({@code conversion.started}); only the gateway's status view listens. */
public record ConversionStarted(int v, String jobId, String userId, Instant startedAt, int attempt) {

  public static final int VERSION = 1;

  /** {@code attempt}: which attempt at the job started (1 unless the job was retried). */
  public ConversionStarted {
    attempt = Math.max(1, attempt);
  }

  /** The first attempt. */
  public ConversionStarted(int v, String jobId, String userId, Instant startedAt) {
    this(v, jobId, userId, startedAt, 1);
  }
}
