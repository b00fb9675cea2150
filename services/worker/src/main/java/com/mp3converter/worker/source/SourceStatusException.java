package com.mp3converter.worker.source;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;

/**
 * The source answered with a status that ends the download. 404 and 410 mean the file is not there; other
 * client errors will not change on a retry; server errors, 408 and 429 might.
 */
public class SourceStatusException extends ConversionException {
  private final int status;

  public SourceStatusException(int status) {
    super(reasonFor(status), "The source answered HTTP " + status + ".");
    this.status = status;
  }

  public int status() {
    return status;
  }

  public boolean retryable() {
    return status >= 500 || status == 408 || status == 429;
  }

  private static FailureReason reasonFor(int status) {
    return status == 404 || status == 410 ? FailureReason.SOURCE_NOT_FOUND : FailureReason.SOURCE_UNREACHABLE;
  }
}
