package com.mp3converter.gateway.conversions;

import java.util.UUID;

/**
 * What a status event changes in its job's row: the new status and the columns that state carries. Columns of other
 * states are null; they are null in every earlier state too, because a job only ever moves forward.
 */
public record StatusChange(
    UUID jobId,
    JobStatus status,
    String objectKey,
    Long bytes,
    Double durationSeconds,
    String errorReason,
    String errorMessage,
    String filename) {

  public static StatusChange started(UUID jobId) {
    return new StatusChange(jobId, JobStatus.PROCESSING, null, null, null, null, null, null);
  }

  /** A completed job whose event named no file (the gateway names it by its source URL). */
  public static StatusChange completed(UUID jobId, String objectKey, long bytes, double durationSeconds) {
    return completed(jobId, objectKey, bytes, durationSeconds, null);
  }

  /** @param filename the name the worker chose for the file, or null (the gateway then names it itself) */
  public static StatusChange completed(UUID jobId, String objectKey, long bytes, double durationSeconds,
      String filename) {
    return new StatusChange(jobId, JobStatus.COMPLETED, objectKey, bytes, durationSeconds, null, null, filename);
  }

  public static StatusChange failed(UUID jobId, String reason, String message) {
    return new StatusChange(jobId, JobStatus.FAILED, null, null, null, reason, message, null);
  }
}
