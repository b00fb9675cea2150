package com.mp3converter.worker.job;

/**
 * The user cancelled the job (conversion.cancel): the worker stops working on it and publishes nothing about it;
 * the gateway has recorded it as cancelled already. Never retried, never a failure.
 */
public final class JobCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobCancelledException(String jobId) {
    super("Job " + jobId + " was cancelled by its user");
  }
}
