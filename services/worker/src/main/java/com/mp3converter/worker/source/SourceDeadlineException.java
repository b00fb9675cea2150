package com.mp3converter.worker.source;

import java.io.IOException;

/**
 * A request took longer than the total download deadline, from before its connection was made to the last
 * byte (a status line, headers or body dripped slowly stay under every read timeout). Not retried: a source this
 * slow is as slow on the next attempt.
 */
public class SourceDeadlineException extends IOException {
  public SourceDeadlineException(long seconds) {
    super("The source did not finish sending within " + seconds + " seconds.");
  }
}
