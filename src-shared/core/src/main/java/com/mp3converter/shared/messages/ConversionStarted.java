package com.mp3converter.shared.messages;

import java.time.Instant;

/** The worker took the job ({@code conversion.started}); only the gateway's status view listens. */
public record ConversionStarted(int v, String jobId, String userId, Instant startedAt) {

  public static final int VERSION = 1;
}
