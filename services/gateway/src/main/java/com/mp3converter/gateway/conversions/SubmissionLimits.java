package com.mp3converter.gateway.conversions;

import static com.mp3converter.gateway.ExchangePropertyNames.JOB;

import com.mp3converter.gateway.conversions.Conversions.SubmissionCounts;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;

/**
 * Per-user limits on job intake: submissions within the last minute, and jobs not finished yet (queued or
 * processing). Both are counted in the database, so they hold across gateway replicas and restarts; a job the
 * broker never took (answered 503) was not a submission and is not counted.
 *
 * <p>The counts are taken right after the new job's row is inserted and include it; a job over a limit has its row
 * deleted again and is answered 429. Two concurrent submissions therefore always see each other: at worst both are
 * refused near the limit, never both admitted past it (a check before the insert could not promise that without a
 * transaction around both statements).
 */
public final class SubmissionLimits {
  static final Duration WINDOW = Duration.ofMinutes(1);
  /** A job usually ends within seconds to minutes; there is no telling when, so clients are asked to wait a bit. */
  static final long ACTIVE_RETRY_AFTER_SECONDS = 15;

  private final Conversions conversions;
  private final int perMinute;
  private final int maxActive;

  public SubmissionLimits(Conversions conversions, int perMinute, int maxActive) {
    if (perMinute < 1 || maxActive < 1) {
      throw new IllegalArgumentException("submission limits must be at least 1");
    }
    this.conversions = conversions;
    this.perMinute = perMinute;
    this.maxActive = maxActive;
  }

  /**
   * Admits the job whose row was just stored, or deletes that row again (it was never published, so nothing else
   * knows it) and answers 429 with Retry-After.
   */
  public void admit(@ExchangeProperty(JOB) ConversionRequested job) {
    SubmissionCounts counts =
        conversions.countSubmissions(UUID.fromString(job.userId()), job.requestedAt().minus(WINDOW));
    ProblemException refusal = refusal(counts, job.requestedAt());
    if (refusal != null) {
      conversions.delete(UUID.fromString(job.jobId()));
      throw refusal;
    }
  }

  /** The 429 for these counts (this job included), or null when the job is within both limits. */
  ProblemException refusal(SubmissionCounts counts, Instant now) {
    if (counts.recent() > perMinute) {
      Duration left = Duration.between(now, counts.oldest().plus(WINDOW));
      // Round up: a client that waits exactly Retry-After seconds finds a slot free.
      long wait = Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
      return ProblemException.tooManyRequests(
          "At most " + perMinute + " conversions per minute; try again in " + wait + " s.", wait);
    }
    if (counts.active() > maxActive) {
      return new ProblemException(
          Problem.of(429, "too-many-active-jobs", "Too many active jobs", "At most " + maxActive
              + " conversions may be queued or in progress at once; try again when one has finished."),
          Map.of("Retry-After", Long.toString(ACTIVE_RETRY_AFTER_SECONDS)));
    }
    return null;
  }
}
