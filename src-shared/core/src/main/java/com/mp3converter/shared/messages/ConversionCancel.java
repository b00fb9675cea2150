package com.mp3converter.shared.messages;

import java.time.Instant;

/**
 * The user cancelled a queued or running job ({@code conversion.cancel}, from the gateway to every worker
 * instance): a worker running it stops its tools, and one that receives the job later skips it.
 */
public record ConversionCancel(int v, String jobId, Instant cancelledAt) {

  public static final int VERSION = 1;
}
