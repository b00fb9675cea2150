package com.mp3converter.worker.media;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.worker.job.JobKeys;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries of a request to the object store, in place (routes/worker/upload.camel.yaml): the route loops over
 * the request, and after each failure this bean counts it and sets the pause before the next try (exponential,
 * capped) or, once the retries are used up, fails the step with storage_unavailable. The loop lives in the route
 * rather than in an error handler of its own, because a failure that exhausted a sub-route's error handler is no
 * longer handled by the job's (errors.camel.yaml), and the job would end without its failed event.
 */
public final class StorageRetry {
  private static final Logger LOG = LoggerFactory.getLogger(StorageRetry.class);

  private final int maxRetries;
  private final long delayMs;
  private final long maxDelayMs;

  public StorageRetry(int maxRetries, long delayMs, long maxDelayMs) {
    this.maxRetries = maxRetries;
    this.delayMs = delayMs;
    this.maxDelayMs = maxDelayMs;
  }

  /**
   * Another failed try: the count of failed tries so far (the route keeps it as {@link JobKeys#STORAGE_RETRIES}),
   * or, past the budget, the step fails.
   *
   * @throws ConversionException storage_unavailable, once the retries are used up
   */
  public int failed(
      @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause,
      @ExchangeProperty(JobKeys.STORAGE_RETRIES) Integer retriesSoFar,
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    int retries = (retriesSoFar == null ? 0 : retriesSoFar) + 1;
    if (retries > maxRetries) {
      throw new ConversionException(FailureReason.STORAGE_UNAVAILABLE,
          "The object store failed " + retries + " times in a row: " + cause, cause);
    }
    LOG.warn("Job {}: the object store failed ({}); retry {} of {} in {} ms", job == null ? "?" : job.jobId(),
        String.valueOf(cause), retries, maxRetries, delay(retries));
    return retries;
  }

  /** The pause before retry {@code retry} (1-based): delay, 2 x delay, 4 x delay ... at most maxDelay. */
  public long delay(@ExchangeProperty(JobKeys.STORAGE_RETRIES) int retry) {
    double value = delayMs * Math.pow(2, retry - 1);
    return (long) Math.min(value, maxDelayMs);
  }
}
