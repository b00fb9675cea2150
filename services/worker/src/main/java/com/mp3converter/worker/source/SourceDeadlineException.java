package com.mp3converter.worker.source;

import java.io.IOException;

/**
 * A response took longer than the total download deadline (a slow-drip body stays under every read timeout).
 * Not retried: a source this slow is as slow on the next attempt.
 */
public class SourceDeadlineException extends IOException {
  public SourceDeadlineException(long seconds) {
    super("The source did not finish sending within " + seconds + " seconds.");
  }
}
