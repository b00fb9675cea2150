package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.FailureReason;

/**
 * Why a job attempt failed.
 *
 * @param retryable whether another attempt could succeed (a source's 5xx, a connection error, our own error)
 * @param detail what happened, for our logs only (never sent to the user)
 */
public record Failure(FailureReason reason, boolean retryable, String detail) {

  /** A failure that is as retryable as its reason (FailureReason's table). */
  static Failure of(FailureReason reason, String detail) {
    return new Failure(reason, reason.retried(), detail);
  }

  /** A failure that another attempt cannot fix, whatever its reason. */
  static Failure permanent(FailureReason reason, String detail) {
    return new Failure(reason, false, detail);
  }
}
