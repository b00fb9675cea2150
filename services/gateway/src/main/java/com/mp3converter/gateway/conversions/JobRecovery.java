package com.mp3converter.gateway.conversions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.RecoveryProperties;
import com.mp3converter.gateway.conversions.Conversions.ClaimedJob;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionFailed;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of "a 202 is a promise" (routes/gateway/recovery.camel.yaml): which jobs nobody else will
 * finish, taken from {@link Conversions} by the deadlines of {@link RecoveryProperties}, and the messages that
 * finish them.
 *
 * <ul>
 *   <li>Unpublished: stored as queued, publication never confirmed (the gateway died in between). The job is
 *       published now; its client may not have had the 202, but the row says queued, so the job runs.
 *   <li>Stuck: published, then no event for {@code stuckAfter}: the job message was lost, or every delivery of it
 *       died. It is re-queued (marked {@code x-mp3-requeued}, so a worker that finds its MP3 stored only announces
 *       it), at most {@code maxRequeues} times; then it is failed with {@code timeout} through a
 *       {@code conversion.failed} event, which the status consumer applies and the notifier emails.
 * </ul>
 */
public final class JobRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(JobRecovery.class);

  private final RecoveryProperties properties;
  private final Conversions conversions;
  private final Clock clock;

  public JobRecovery(RecoveryProperties properties, Conversions conversions, Clock clock) {
    this.properties = properties;
    this.conversions = conversions;
    this.clock = clock;
  }

  /** Queued jobs whose publication was never confirmed within {@code unpublishedAfter}: to be published now. */
  public List<ConversionRequested> claimUnpublished() {
    List<ClaimedJob> claimed =
        conversions.claimUnpublished(now().minus(properties.unpublishedAfter()), properties.batchSize());
    claimed.forEach(c ->
        LOG.warn("Job {} is published again by the gateway (its first publication was never confirmed)",
            c.job().jobId()));
    return jobs(claimed);
  }

  /** Published jobs without progress for {@code stuckAfter} that may be re-queued once more. */
  public List<ConversionRequested> claimStuck() {
    List<ClaimedJob> claimed =
        conversions.claimStuck(stuckSince(), properties.maxRequeues(), properties.batchSize());
    claimed.forEach(c -> LOG.warn("Job {} is published again by the gateway (re-queue {} of {}, no progress for {})",
        c.job().jobId(), c.requeues(), properties.maxRequeues(), properties.stuckAfter()));
    return jobs(claimed);
  }

  /** Published jobs without progress for {@code stuckAfter} that used up their re-queues: to be failed. */
  public List<ConversionRequested> claimExhausted() {
    return jobs(conversions.claimExhausted(stuckSince(), properties.maxRequeues(), properties.batchSize()));
  }

  /** The job message, exactly as the intake published it. */
  public byte[] message(@Body ConversionRequested job) throws JsonProcessingException {
    return Json.MESSAGES.writeValueAsBytes(job);
  }

  /** The failure that ends a job that stayed stuck through all its re-queues. */
  public byte[] failure(@Body ConversionRequested job) throws JsonProcessingException {
    LOG.warn("Job {} made no progress through {} re-queues; failing it with {}", job.jobId(),
        properties.maxRequeues(), FailureReason.TIMEOUT.code());
    return Json.MESSAGES.writeValueAsBytes(new ConversionFailed(ConversionFailed.VERSION, job.jobId(), job.userId(),
        job.email(), job.name(), FailureReason.TIMEOUT.code(), FailureReason.TIMEOUT.userMessage(), now(),
        job.attempt()));
  }

  private Instant stuckSince() {
    return now().minus(properties.stuckAfter());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static List<ConversionRequested> jobs(List<ClaimedJob> claimed) {
    return claimed.stream().map(ClaimedJob::job).toList();
  }
}
