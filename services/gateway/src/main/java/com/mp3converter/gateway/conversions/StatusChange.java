package com.mp3converter.gateway.conversions;

import java.util.UUID;

/**
 * What a status event changes in its job's row: the new status and the columns that state carries. Columns of other
 * states are null; they are null in every earlier state too, because a job only ever moves forward.
 * {@code attempt}: the attempt at the job the event is about; it changes the job only while that attempt is the
 * job's current one.
 */
public record StatusChange(
    UUID jobId,
    JobStatus status,
    String objectKey,
    Long bytes,
    Double durationSeconds,
    String errorReason,
    String errorMessage,
    String filename,
    int attempt) {

  /** A change of a job's first attempt. */
  public StatusChange(UUID jobId, JobStatus status, String objectKey, Long bytes, Double durationSeconds,
      String errorReason, String errorMessage, String filename) {
    this(jobId, status, objectKey, bytes, durationSeconds, errorReason, errorMessage, filename, 1);
  }

  public static StatusChange started(UUID jobId) {
    return started(jobId, 1);
  }

  public static StatusChange started(UUID jobId, int attempt) {
    return new StatusChange(jobId, JobStatus.PROCESSING, null, null, null, null, null, null, attempt);
  }

  /** A completed job whose event named no file (the gateway names it by its source URL). */
  public static StatusChange completed(UUID jobId, String objectKey, long bytes, double durationSeconds) {
    return completed(jobId, objectKey, bytes, durationSeconds, null);
  }

  /** @param filename the name the worker chose for the file, or null (the gateway then names it itself) */
  public static StatusChange completed(UUID jobId, String objectKey, long bytes, double durationSeconds,
      String filename) {
    return completed(jobId, objectKey, bytes, durationSeconds, filename, 1);
  }

  public static StatusChange completed(UUID jobId, String objectKey, long bytes, double durationSeconds,
      String filename, int attempt) {
    return new StatusChange(
        jobId, JobStatus.COMPLETED, objectKey, bytes, durationSeconds, null, null, filename, attempt);
  }

  public static StatusChange failed(UUID jobId, String reason, String message) {
    return failed(jobId, reason, message, 1);
  }

  public static StatusChange failed(UUID jobId, String reason, String message, int attempt) {
    return new StatusChange(jobId, JobStatus.FAILED, null, null, null, reason, message, null, attempt);
  }
}
