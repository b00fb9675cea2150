package com.mp3converter.gateway.conversions;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
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
  /** Exchange property holding the 429 to answer once the refused job's row is gone; absent when admitted. */
  public static final String REFUSAL = "submissionRefusal";
  static final Duration WINDOW = Duration.ofMinutes(1);
  /** A job usually ends within seconds to minutes; there is no telling when, so clients are asked to wait a bit. */
  static final long ACTIVE_RETRY_AFTER_SECONDS = 15;

  private final int perMinute;
  private final int maxActive;

  public SubmissionLimits(int perMinute, int maxActive) {
    if (perMinute < 1 || maxActive < 1) {
      throw new IllegalArgumentException("submission limits must be at least 1");
    }
    this.perMinute = perMinute;
    this.maxActive = maxActive;
  }

  /** Parameters of the SELECT that counts the user's recent and unfinished jobs (this one included). */
  public Map<String, Object> countParameters(@ExchangeProperty(ConversionIntake.JOB) ConversionRequested job) {
    return Map.of(
        "userId", UUID.fromString(job.userId()),
        "since", job.requestedAt().minus(WINDOW).atOffset(ZoneOffset.UTC));
  }

  /**
   * Judges the counts ({@code recent}, {@code active}, {@code oldest}: the first submission inside the window) and
   * leaves the refusal, if any, in {@link #REFUSAL}.
   */
  public void judge(
      List<Map<String, Object>> rows, @ExchangeProperty(ConversionIntake.JOB) ConversionRequested job, Exchange exchange) {
    ProblemException refusal = refusal(rows.get(0), job.requestedAt());
    if (refusal != null) {
      exchange.setProperty(REFUSAL, refusal);
    }
  }

  ProblemException refusal(Map<String, Object> counts, Instant now) {
    long recent = ((Number) counts.get("recent")).longValue();
    long active = ((Number) counts.get("active")).longValue();
    if (recent > perMinute) {
      Instant oldest = ConversionViews.instant(counts.get("oldest"));
      Duration left = Duration.between(now, oldest.plus(WINDOW));
      // Round up: a client that waits exactly Retry-After seconds finds a slot free.
      long wait = Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
      return ProblemException.tooManyRequests(
          "At most " + perMinute + " conversions per minute; try again in " + wait + " s.", wait);
    }
    if (active > maxActive) {
      return new ProblemException(
          Problem.of(429, "too-many-active-jobs", "Too many active jobs", "At most " + maxActive
              + " conversions may be queued or in progress at once; try again when one has finished."),
          Map.of("Retry-After", Long.toString(ACTIVE_RETRY_AFTER_SECONDS)));
    }
    return null;
  }

  /** Parameters of the DELETE of a refused job's row (never published, so nothing else knows it). */
  public Map<String, Object> deleteParameters(@ExchangeProperty(ConversionIntake.JOB) ConversionRequested job) {
    return Map.of("id", UUID.fromString(job.jobId()));
  }

  public void refuse(@ExchangeProperty(REFUSAL) ProblemException refusal) {
    throw refusal;
  }
}
