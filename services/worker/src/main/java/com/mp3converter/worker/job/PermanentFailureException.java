package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;

/** A failure whose reason is usually passing, in a case where another attempt cannot help (never retried). */
public class PermanentFailureException extends ConversionException {
  public PermanentFailureException(FailureReason reason, String detail) {
    super(reason, detail);
  }
}
