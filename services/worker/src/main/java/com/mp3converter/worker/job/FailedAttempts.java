package com.mp3converter.worker.job;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Counts a job's failed attempts in {@link JobKeys#FAILED_ATTEMPTS}. errors.camel.yaml runs it on every failure
 * (onExceptionOccurredRef, which takes a Processor), before {@link FailureClassifier#shouldRetry} decides.
 *
 * <p>Why not Camel's own count: it lives in the CamelRedeliveryCounter header, and Camel reads it back from the
 * message at each failure. A step that replaces the message loses it (camel-http builds its response as a new
 * message, and a failure while it reads the body leaves that message, without the header, for doTry to promote),
 * so each failure looked like the first, and with retryWhile Camel sets no bound of its own: the job was retried
 * for ever. An exchange property belongs to the exchange, and no step replaces that.
 */
public final class FailedAttempts implements Processor {

  @Override
  public void process(Exchange exchange) {
    Integer before = exchange.getProperty(JobKeys.FAILED_ATTEMPTS, Integer.class);
    exchange.setProperty(JobKeys.FAILED_ATTEMPTS, before == null ? 1 : before + 1);
  }
}
