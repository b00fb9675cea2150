package com.mp3converter.shared.messages;

/** A job cannot go on; carries the reason that ends up in {@code conversion.failed}. */
public class ConversionException extends RuntimeException {
  private final FailureReason reason;

  public ConversionException(FailureReason reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  public ConversionException(FailureReason reason, String detail, Throwable cause) {
    super(detail, cause);
    this.reason = reason;
  }

  public FailureReason reason() {
    return reason;
  }
}
