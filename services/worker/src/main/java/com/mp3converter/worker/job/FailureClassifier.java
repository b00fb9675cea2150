package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.worker.source.SourceDeadlineException;
import com.mp3converter.worker.source.SourceStatusException;
import com.mp3converter.worker.source.SourceTooLargeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever went wrong into a {@link FailureReason} and decides whether another attempt is worth it. The
 * exception's cause chain is searched (Camel and the HTTP client wrap what they catch); where nothing in it
 * says more, the step that was running decides: a network error while downloading is the source's, any error
 * while reading or writing the job's object is the storage's.
 */
public final class FailureClassifier {
  /** Exchange property with the {@link Failure} the failed event is built from. */
  public static final String FAILURE = "failure";

  private static final Logger LOG = LoggerFactory.getLogger(FailureClassifier.class);

  /** Steps that talk to the object store; they retry in place (upload.camel.yaml), so the job does not again. */
  static final Set<String> STORAGE_STEPS = Set.of("upload", "storage");

  /** Reasons that are the user's input: the user is told, and the job is not worth an operator's look. */
  private static final Set<FailureReason> USER_INPUT = EnumSet.of(
      FailureReason.SOURCE_NOT_FOUND, FailureReason.SOURCE_TOO_LARGE, FailureReason.NOT_AUDIO,
      FailureReason.TOO_LONG, FailureReason.BLOCKED_URL);

  private final int maxAttempts;

  public FailureClassifier(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public Failure classify(Throwable error, String step) {
    List<Throwable> chain = chain(error);
    String detail = describe(chain);
    for (Throwable t : chain) {
      if (t instanceof SourceStatusException status) {
        return new Failure(status.reason(), status.retryable(), detail);
      }
      if (t instanceof PermanentFailureException permanent) {
        return new Failure(permanent.reason(), false, detail);
      }
      if (t instanceof ConversionException conversion) {
        // A conversion that hit the wall-clock limit would hit it again: stopped, not retried here.
        boolean retryable = conversion.reason().isTransient() && conversion.reason() != FailureReason.TIMEOUT;
        return new Failure(conversion.reason(), retryable, detail);
      }
      if (t instanceof BlockedUrlException) {
        return new Failure(FailureReason.BLOCKED_URL, false, detail);
      }
      if (t instanceof SourceTooLargeException) {
        return new Failure(FailureReason.SOURCE_TOO_LARGE, false, detail);
      }
      if (t instanceof SourceDeadlineException) {
        return new Failure(FailureReason.SOURCE_UNREACHABLE, false, detail);
      }
    }
    if ("download".equals(step)) {
      for (Throwable t : chain) {
        if (t instanceof SSLException) {
          // A certificate the source cannot fix by itself in the next seconds.
          return new Failure(FailureReason.SOURCE_UNREACHABLE, false, detail);
        }
        if (t instanceof IOException) {
          return new Failure(FailureReason.SOURCE_UNREACHABLE, true, detail);
        }
      }
    }
    if (step != null && STORAGE_STEPS.contains(step)) {
      return new Failure(FailureReason.STORAGE_UNAVAILABLE, true, detail);
    }
    return new Failure(FailureReason.INTERNAL, true, detail);
  }

  /**
   * The route's retryWhile: the failure is passing and attempts are left. Camel has counted the failed attempt
   * in CamelRedeliveryCounter before it asks (1 after the first failure).
   */
  public boolean shouldRetry(Exchange exchange) {
    String step = exchange.getProperty(JobKeys.STEP, String.class);
    Failure failure = classify(caught(exchange), step);
    int failedAttempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
    boolean retry = failure.retryable() && failedAttempts < maxAttempts
        && (step == null || !STORAGE_STEPS.contains(step));
    if (retry) {
      ConversionRequested job = exchange.getProperty(JobKeys.JOB, ConversionRequested.class);
      LOG.info("Job {}: attempt {} of {} failed at {} ({}: {}), trying again", job == null ? "?" : job.jobId(),
          failedAttempts, maxAttempts, step, failure.reason().code(), failure.detail());
    }
    return retry;
  }

  /** Settles why the job failed (property {@link #FAILURE}) and logs the detail that the user does not see. */
  public void settle(Exchange exchange) {
    String step = exchange.getProperty(JobKeys.STEP, String.class);
    Failure failure = classify(caught(exchange), step);
    exchange.setProperty(FAILURE, failure);
    ConversionRequested job = exchange.getProperty(JobKeys.JOB, ConversionRequested.class);
    LOG.warn("Job {} failed{}: {} ({})", job == null ? "?" : job.jobId(), step == null ? "" : " at " + step,
        failure.reason().code(), failure.detail());
  }

  /**
   * Whether the failed job also goes to worker.conversions.dlq: every failure that is not the user's input
   * (a conversion that failed, a timeout, an internal error, passing failures that outlasted their retries).
   */
  public boolean shouldDeadLetter(Exchange exchange) {
    Failure failure = exchange.getProperty(FAILURE, Failure.class);
    return failure != null && !USER_INPUT.contains(failure.reason());
  }

  /** The x-failure-reason header of a dead-lettered message: the job's reason code, or why it is not a job. */
  public String deadLetterReason(Exchange exchange) {
    Failure failure = exchange.getProperty(FAILURE, Failure.class);
    return failure == null ? "not_a_job" : failure.reason().code();
  }

  private static Throwable caught(Exchange exchange) {
    Throwable error = exchange.getException();
    return error != null ? error : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
  }

  /** The error and its causes, outermost first (a cause cycle ends the chain). */
  private static List<Throwable> chain(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String describe(List<Throwable> chain) {
    if (chain.isEmpty()) {
      return "unknown error";
    }
    StringBuilder text = new StringBuilder();
    for (Throwable t : chain.subList(0, Math.min(chain.size(), 4))) {
      if (!text.isEmpty()) {
        text.append(" <- ");
      }
      text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return text.toString();
  }
}
