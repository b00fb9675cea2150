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
    int attempt) {

  public static StatusChange started(UUID jobId, int attempt) {
    return new StatusChange(jobId, JobStatus.PROCESSING, null, null, null, null, null, attempt);
  }

  public static StatusChange completed(UUID jobId, String objectKey, long bytes, double durationSeconds,
      int attempt) {
    return new StatusChange(jobId, JobStatus.COMPLETED, objectKey, bytes, durationSeconds, null, null, attempt);
  }

  public static StatusChange failed(UUID jobId, String reason, String message, int attempt) {
    return new StatusChange(jobId, JobStatus.FAILED, null, null, null, reason, message, attempt);
  }

  /** A change of a job's first attempt. */
  public StatusChange(UUID jobId, JobStatus status, String objectKey, Long bytes, Double durationSeconds,
      String errorReason, String errorMessage) {
    this(jobId, status, objectKey, bytes, durationSeconds, errorReason, errorMessage, 1);
  }

  public static StatusChange started(UUID jobId) {
    return started(jobId, 1);
  }

  public static StatusChange completed(UUID jobId, String objectKey, long bytes, double durationSeconds) {
    return completed(jobId, objectKey, bytes, durationSeconds, 1);
  }

  public static StatusChange failed(UUID jobId, String reason, String message) {
    return failed(jobId, reason, message, 1);
  }
}
