package com.mp3converter.gateway.web;

import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.ProblemException;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs before the shared ProblemResponder: a dependency that is down (database, broker, object store) is a 503
 * the client may retry, not an opaque 500, and an object missing from the store is a 404. Anything else is left
 * to the shared mapping.
 */
public final class InfrastructureProblems {
  private static final Logger LOG = LoggerFactory.getLogger(InfrastructureProblems.class);
  static final String OVERLOAD_RETRY_AFTER_SECONDS = "1";

  /** The exception to answer for the one caught: its problem when it is an outage, else the caught one itself. */
  public Throwable translate(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught) {
    ProblemException translated = problemFor(caught);
    return translated != null ? translated : caught;
  }

  static ProblemException problemFor(Throwable caught) {
    for (Throwable t = caught; t != null; t = t.getCause()) {
      if (t instanceof ProblemException) {
        return null;
      }
      if (t instanceof BulkheadFullException) {
        return overloaded();
      }
      if (t instanceof S3Exception s3 && s3.statusCode() == 404 && !isMissingBucket(s3)) {
        return ProblemException.notFound("The file of this conversion is no longer available.");
      }
      if (t instanceof SdkException) {
        return outage("storage-unavailable", "The file store", t);
      }
      if (t instanceof SQLTransientConnectionException
          || (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08"))) {
        return outage("database-unavailable", "The database", t);
      }
      if (t instanceof AmqpException) {
        return outage("broker-unavailable", "The message broker", t);
      }
    }
    return null;
  }

  /**
   * The 503 of a request shed under load: the intake's bulkhead is full, or the request threads and their queue
   * are (OverloadProblems). Retry-After is short: the gateway recovers as soon as the burst passes.
   */
  public static ProblemException overloaded() {
    return new ProblemException(
        Problem.of(503, "overloaded", "Service unavailable", "The service is busy; try again in a moment."),
        Map.of("Retry-After", OVERLOAD_RETRY_AFTER_SECONDS));
  }

  private static boolean isMissingBucket(S3Exception e) {
    return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
  }

  private static ProblemException outage(String slug, String what, Throwable cause) {
    LOG.warn("{} is unavailable: {}", what, cause.toString());
    return ProblemException.unavailable(slug, what + " is not reachable right now; try again shortly.");
  }
}
