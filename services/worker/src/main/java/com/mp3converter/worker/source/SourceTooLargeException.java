package com.mp3converter.worker.source;

import java.io.IOException;

/** The source body is, or announces to be, larger than the configured cap; the download was aborted. */
public class SourceTooLargeException extends IOException {
  public SourceTooLargeException(long limit) {
    super("The source is larger than " + limit + " bytes.");
  }
}
