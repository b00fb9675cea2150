package com.mp3converter.worker.media;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.worker.job.JobKeys;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries of a request to the object store, in place (routes/worker/upload.camel.yaml): the route loops over
 * the request, and after each failure this bean either sets the pause before the next try (exponential, capped)
 * or, once the retries are used up, fails the step with storage_unavailable. The loop lives in the route rather
 * than in an error handler of its own, because a failure that exhausted a sub-route's error handler is no longer
 * handled by the job's (errors.camel.yaml), and the job would end without its failed event.
 */
public final class StorageRetry {
  /** Exchange properties of the loop: done, retries so far, and the pause before the next try (ms). */
  public static final String DONE = "storageDone";
  public static final String RETRIES = "storageRetries";
  public static final String DELAY = "storageRetryDelay";

  private static final Logger LOG = LoggerFactory.getLogger(StorageRetry.class);

  private final int maxRetries;
  private final long delayMs;
  private final long maxDelayMs;

  public StorageRetry(int maxRetries, long delayMs, long maxDelayMs) {
    this.maxRetries = maxRetries;
    this.delayMs = delayMs;
    this.maxDelayMs = maxDelayMs;
  }

  public void begin(Exchange exchange) {
    exchange.setProperty(DONE, false);
    exchange.setProperty(RETRIES, 0);
  }

  public void failed(Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    int retries = exchange.getProperty(RETRIES, 0, Integer.class) + 1;
    ConversionRequested job = exchange.getProperty(JobKeys.JOB, ConversionRequested.class);
    String jobId = job == null ? "?" : job.jobId();
    if (retries > maxRetries) {
      throw new ConversionException(FailureReason.STORAGE_UNAVAILABLE,
          "The object store failed " + retries + " times in a row: " + cause, cause);
    }
    long delay = delay(retries);
    exchange.setProperty(RETRIES, retries);
    exchange.setProperty(DELAY, delay);
    LOG.warn("Job {}: the object store failed ({}); retry {} of {} in {} ms", jobId, String.valueOf(cause), retries,
        maxRetries, delay);
  }

  /** The pause before retry {@code retry} (1-based): delay, 2 x delay, 4 x delay ... at most maxDelay. */
  long delay(int retry) {
    double value = delayMs * Math.pow(2, retry - 1);
    return (long) Math.min(value, maxDelayMs);
  }
}
