package com.mp3converter.shared.messages;

import java.time.Instant;

/**
 * How far a running conversion got ({@code conversion.progress}): {@code percent} 0-100 of the probed duration that
 * ffmpeg has written. Sent at most once a second per job, transient and unconfirmed: a lost one is replaced by the
 * next, and the gateway never lets one move a job that is not processing.
 */
public record ConversionProgress(int v, String jobId, int attempt, int percent, Instant at) {

  public static final int VERSION = 1;
}
