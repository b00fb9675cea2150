package com.mp3converter.worker.job;

/** A message on worker.conversions that is not a job we can work on or report on; it is dead-lettered. */
public class PoisonMessageException extends RuntimeException {
  public PoisonMessageException(String message) {
    super(message);
  }
}
