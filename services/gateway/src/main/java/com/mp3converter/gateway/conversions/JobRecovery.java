package com.mp3converter.gateway.conversions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.RecoveryProperties;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionFailed;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of "a 202 is a promise" (routes/gateway/recovery.camel.yaml): the parameters of the
 * queries that claim jobs nobody else will finish, and the messages that finish them.
 *
 * <ul>
 *   <li>Unpublished: stored as queued, publication never confirmed (the gateway died in between). The job is
 *       published now; its client may not have had the 202, but the row says queued, so the job runs.
 *   <li>Stuck: published, then no event for {@code stuckAfter}: the job message was lost, or every delivery of it
 *       died. It is re-queued (marked {@code x-mp3-requeued}, so a worker that finds its MP3 stored only announces
 *       it), at most {@code maxRequeues} times; then it is failed with {@code timeout} through a
 *       {@code conversion.failed} event, which the status consumer applies and the notifier emails.
 * </ul>
 * Each claim is one UPDATE ... RETURNING over rows locked with SKIP LOCKED that also moves the row's
 * {@code updated_at}, so gateway replicas never take the same job in the same round and a job that could not be
 * published is tried again one period later, not in a loop.
 */
public final class JobRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(JobRecovery.class);

  private final RecoveryProperties properties;
  private final Clock clock;

  public JobRecovery(RecoveryProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
  }

  public Map<String, Object> unpublishedParameters() {
    Instant now = now();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("now", at(now));
    parameters.put("cutoff", at(now.minus(properties.unpublishedAfter())));
    parameters.put("limit", properties.batchSize());
    return parameters;
  }

  public Map<String, Object> stuckParameters() {
    Instant now = now();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("now", at(now));
    parameters.put("deadline", at(now.minus(properties.stuckAfter())));
    parameters.put("maxRequeues", properties.maxRequeues());
    parameters.put("limit", properties.batchSize());
    return parameters;
  }

  /** The job message rebuilt from its row, exactly as the intake published it. */
  public byte[] job(@Body Map<String, Object> row) throws JsonProcessingException {
    ConversionRequested job = new ConversionRequested(ConversionRequested.VERSION, row.get("id").toString(),
        row.get("user_id").toString(), (String) row.get("email"), (String) row.get("name"),
        (String) row.get("source_url"), (String) row.get("bitrate"), instant(row.get("created_at")));
    LOG.warn("Job {} is published again by the gateway ({})", job.jobId(),
        row.get("requeues") == null ? "its first publication was never confirmed"
            : "re-queue " + row.get("requeues") + " of " + properties.maxRequeues() + ", no progress for "
                + properties.stuckAfter());
    return Json.MESSAGES.writeValueAsBytes(job);
  }

  /** The failure that ends a job that stayed stuck through all its re-queues. */
  public byte[] failed(@Body Map<String, Object> row) throws JsonProcessingException {
    String jobId = row.get("id").toString();
    LOG.warn("Job {} made no progress through {} re-queues; failing it with {}", jobId, properties.maxRequeues(),
        FailureReason.TIMEOUT.code());
    return Json.MESSAGES.writeValueAsBytes(new ConversionFailed(ConversionFailed.VERSION, jobId,
        row.get("user_id").toString(), (String) row.get("email"), (String) row.get("name"),
        FailureReason.TIMEOUT.code(), FailureReason.TIMEOUT.userMessage(), now()));
  }

  /** Parameters of the UPDATE that records a confirmed publication. */
  public Map<String, Object> publishedParameters(@Body Map<String, Object> row) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("id", UUID.fromString(row.get("id").toString()));
    parameters.put("now", at(now()));
    return parameters;
  }

  /** Parameters of the same UPDATE for the job the intake just published (exchange property "job"). */
  public Map<String, Object> intakePublishedParameters(
      @ExchangeProperty(ConversionIntake.JOB) ConversionRequested job) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("id", UUID.fromString(job.jobId()));
    parameters.put("now", at(now()));
    return parameters;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Object value) {
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant();
    }
    if (value instanceof OffsetDateTime offset) {
      return offset.toInstant();
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    throw new IllegalArgumentException("not a timestamp: " + value);
  }
}
