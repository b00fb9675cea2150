package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.worker.source.SourceDeadlineException;
import com.mp3converter.worker.source.SourceDownloadException;
import com.mp3converter.worker.source.SourceStatusException;
import com.mp3converter.worker.source.SourceTooLargeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever went wrong into a {@link Failure}: its {@link FailureReason}, and whether another attempt is
 * worth it, as FailureReason's table says unless the failure itself says it is final. The exception's cause chain
 * is searched (Camel and the HTTP client wrap what they catch); where nothing in it says more, the step that was
 * running decides ({@link JobStep}): a network error while downloading is the source's, any error while reading
 * or writing the job's object is the storage's, anything else is ours.
 */
public final class FailureClassifier {
  private static final Logger LOG = LoggerFactory.getLogger(FailureClassifier.class);

  private final int maxAttempts;

  public FailureClassifier(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public Failure classify(Throwable error, JobStep step) {
    List<Throwable> chain = chain(error);
    String detail = describe(chain);
    for (Throwable t : chain) {
      if (t instanceof SourceStatusException status) {
        // A 403 is source_unreachable, and asking again will not change it.
        return new Failure(status.reason(), status.reason().retried() && status.retryable(), detail);
      }
      if (t instanceof PermanentFailureException permanent) {
        return Failure.permanent(permanent.reason(), detail);
      }
      if (t instanceof ConversionException conversion) {
        return Failure.of(conversion.reason(), detail);
      }
      if (t instanceof BlockedUrlException) {
        return Failure.of(FailureReason.BLOCKED_URL, detail);
      }
      if (t instanceof SourceTooLargeException) {
        return Failure.of(FailureReason.SOURCE_TOO_LARGE, detail);
      }
      if (t instanceof SourceDeadlineException) {
        // A source that slow is as slow on the next attempt.
        return Failure.permanent(FailureReason.SOURCE_UNREACHABLE, detail);
      }
    }
    // A download that failed while a later step waited for the rest of the source is the download's failure.
    boolean downloading =
        step == JobStep.DOWNLOAD || chain.stream().anyMatch(SourceDownloadException.class::isInstance);
    if (downloading) {
      for (Throwable t : chain) {
        if (t instanceof SSLException) {
          // A certificate the source cannot fix by itself in the next seconds.
          return Failure.permanent(FailureReason.SOURCE_UNREACHABLE, detail);
        }
        if (t instanceof IOException) {
          return Failure.of(FailureReason.SOURCE_UNREACHABLE, detail);
        }
      }
    }
    if (step != null && step.isStorage()) {
      return Failure.of(FailureReason.STORAGE_UNAVAILABLE, detail);
    }
    return Failure.of(FailureReason.INTERNAL, detail);
  }

  /**
   * The job route's retryWhile: the failure is passing and attempts are left. {@link FailedAttempts} has counted
   * the failed attempt in {@link JobKeys#FAILED_ATTEMPTS} before Camel asks (1 after the first failure); a failure
   * nobody counted is not retried, so no path can retry for ever (Camel does not bound retryWhile itself).
   *
   * <p>The error is bound as the exception that was thrown (Camel keeps it in CamelExceptionCaught), never with
   * {@code @ExchangeException}: for a parameter of type Throwable that one answers with the innermost cause, and
   * an exception that says what a failure means (the source's deadline, its oversized headers) wraps the
   * network error it ended.
   */
  public boolean shouldRetry(
      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable error,
      @ExchangeProperty(JobKeys.STEP) JobStep step,
      @ExchangeProperty(JobKeys.FAILED_ATTEMPTS) Integer failedAttempts,
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    Failure failure = classify(error, step);
    if (failedAttempts == null) {
      LOG.error("Job {}: a failure at {} was not counted, so it is not retried ({}: {})", jobId(job), step,
          failure.reason().code(), failure.detail());
      return false;
    }
    boolean retry = failure.retryable() && failedAttempts < maxAttempts;
    if (retry) {
      LOG.info("Job {}: attempt {} of {} failed at {} ({}: {}), trying again", jobId(job), failedAttempts,
          maxAttempts, step, failure.reason().code(), failure.detail());
    }
    return retry;
  }

  /** Settles why the job failed (worker-failed keeps it as {@link JobKeys#FAILURE}) and logs what only we see. */
  public Failure settle(
      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable error,
      @ExchangeProperty(JobKeys.STEP) JobStep step,
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    Failure failure = classify(error, step);
    LOG.warn("Job {} failed{}: {} ({})", jobId(job), step == null ? "" : " at " + step, failure.reason().code(),
        failure.detail());
    return failure;
  }

  /**
   * Whether the failed job also goes to worker.conversions.dlq: when its reason needs an operator, i.e. is not
   * the user's input (FailureReason's table).
   */
  public boolean shouldDeadLetter(@ExchangeProperty(JobKeys.FAILURE) Failure failure) {
    return failure != null && failure.reason().needsOperator();
  }

  /** The x-failure-reason header of a dead-lettered message: the job's reason code, or why it is not a job. */
  public String deadLetterReason(@ExchangeProperty(JobKeys.FAILURE) Failure failure) {
    return failure == null ? "not_a_job" : failure.reason().code();
  }

  private static String jobId(ConversionRequested job) {
    return job == null ? "?" : job.jobId();
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
