package com.mp3converter.gateway.conversions;

import static com.mp3converter.gateway.ExchangePropertyNames.JOB;
import static com.mp3converter.gateway.ExchangePropertyNames.REMOVAL;
import static com.mp3converter.gateway.ExchangePropertyNames.USER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.downloads.Downloads;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.messages.ConversionCancel;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the user can do to a job after submitting it (routes/gateway/job-control.camel.yaml), each decision made
 * on the job's row and written by a statement that names the state it expects ({@link Conversions}), so a status
 * event applied in between never gets lost or overwritten:
 *
 * <ul>
 *   <li>{@link #remove}: a queued or processing job is cancelled ({@code conversion.cancel} tells the workers);
 *       a finished one is deleted (a tombstone; its MP3 is removed). Another user's job is a 404, one already
 *       deleted a 410.
 *   <li>{@link #retry}: a failed job whose reason another attempt could get past ({@link
 *       FailureReason#userMayRetry}), with attempts left, is queued again as its next attempt.
 *   <li>{@link #emailCheck}: the notifier asks before each email whether the job still ends the way the event
 *       says; a cancelled, deleted or retried job gets no email of an older attempt.
 * </ul>
 */
public final class JobControl {
  private static final Logger LOG = LoggerFactory.getLogger(JobControl.class);

  /**
   * What DELETE did: cancelled a running job, or deleted a finished one ({@code objectKeys}: the objects that go
   * with it, its MP3 and the file its user uploaded, where there are such).
   */
  public record Removal(UUID jobId, boolean cancelled, List<String> objectKeys) {
    public boolean hasObject() {
      return !objectKeys.isEmpty();
    }
  }

  /** The notifier's question: may the {@code kind} email of this attempt go out? */
  public record EmailCheckRequest(String conversionId, String kind, Integer attempt) {}

  private final Conversions conversions;
  private final RequestBodies bodies;
  private final Clock clock;
  private final int maxAttempts;

  public JobControl(Conversions conversions, RequestBodies bodies, Clock clock, int maxAttempts) {
    this.conversions = conversions;
    this.bodies = bodies;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  /** {@code DELETE /conversions/{id}}. */
  public Removal remove(@ExchangeProperty(USER) AccessClaims user, @Header("id") String id) {
    UUID jobId = ConversionViews.jobId(id);
    UUID userId = UUID.fromString(user.userId());
    // Two rounds at most: a job that finished between the read and the cancel is deleted in the second.
    for (int round = 0; round < 2; round++) {
      Conversion conversion = owned(jobId, userId);
      if (!conversion.status().isFinal()) {
        if (conversions.cancel(jobId, userId)) {
          LOG.info("Job {} cancelled by its user (was {})", jobId, conversion.status().code());
          return new Removal(jobId, true, List.of());
        }
      } else if (conversions.markDeleted(jobId, userId)) {
        LOG.info("Job {} ({}) deleted by its user", jobId, conversion.status().code());
        List<String> keys = new ArrayList<>();
        if (conversion.status() == JobStatus.COMPLETED) {
          keys.add(ObjectKeys.output(conversion.userId().toString(), jobId.toString(), OutputFormat.DEFAULT));
        }
        if (conversion.uploaded()) {
          // A failed or cancelled upload job still has its upload (kept for a retry); a completed one may too.
          keys.add(ObjectKeys.upload(conversion.userId().toString(), jobId.toString()));
        }
        return new Removal(jobId, false, List.copyOf(keys));
      }
    }
    throw ProblemException.conflict("job-changed", "The conversion changed while it was being removed; try again.");
  }

  /** The message that tells every worker to stop or skip the cancelled job. */
  public byte[] cancelMessage(@ExchangeProperty(REMOVAL) Removal removal) throws JsonProcessingException {
    return Json.MESSAGES.writeValueAsBytes(
        new ConversionCancel(ConversionCancel.VERSION, removal.jobId().toString(), clock.instant()));
  }

  /** The S3 request that deletes one of the deleted job's objects (an absent object is no error). */
  public void deleteObjectRequest(@Body String objectKey, Message message) {
    message.removeHeaders("*");
    message.setHeader(AWS2S3Constants.KEY, objectKey);
    message.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.deleteObject);
  }

  /**
   * {@code POST /conversions/{id}/retry}: the job queued again as its next attempt, as the message to publish;
   * 409 when it is not failed, failed for a reason another attempt cannot get past, or has no attempts left.
   */
  public ConversionRequested retry(@ExchangeProperty(USER) AccessClaims user, @Header("id") String id) {
    UUID jobId = ConversionViews.jobId(id);
    UUID userId = UUID.fromString(user.userId());
    Conversion conversion = owned(jobId, userId);
    if (conversion.status() != JobStatus.FAILED) {
      throw ProblemException.conflict(
          "not-failed", "Only a failed conversion can be retried; this one is " + conversion.status().code() + ".");
    }
    if (!FailureReason.fromCode(conversion.errorReason()).userMayRetry()) {
      throw ProblemException.conflict("not-retryable",
          "This conversion failed for a reason another attempt cannot change (" + conversion.errorReason() + ").");
    }
    if (conversion.attempts() >= maxAttempts) {
      throw ProblemException.conflict(
          "no-attempts-left", "This conversion has had " + conversion.attempts() + " attempts, the most allowed.");
    }
    Optional<ConversionRequested> retried = conversions.retry(jobId, userId, conversion.attempts());
    return retried.orElseThrow(() -> ProblemException.conflict(
        "job-changed", "The conversion changed while it was being retried; try again."));
  }

  /** The 202 body of a retry: {@code {"id","status":"queued","attempts"}}. */
  public byte[] requeued(@ExchangeProperty(JOB) ConversionRequested job) throws JsonProcessingException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", job.jobId());
    body.put("status", JobStatus.QUEUED.code());
    body.put("attempts", job.attempt());
    return Json.MESSAGES.writeValueAsBytes(body);
  }

  /**
   * {@code POST /internal/email-checks} (notifier): {@code {"send": true}} only when the job's row is in the
   * event's final state at the event's attempt and not deleted; 409 while the gateway has not applied the event
   * yet (the notifier asks again); {@code {"send": false}} otherwise (cancelled, deleted, retried, gone).
   */
  public byte[] emailCheck(@Body byte[] body) throws IOException {
    EmailCheckRequest request = bodies.parse(body, EmailCheckRequest.class);
    UUID jobId;
    try {
      jobId = UUID.fromString(String.valueOf(request.conversionId()));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("invalid-conversion-id", "Field 'conversionId' must be a job id.");
    }
    JobStatus kind = request.kind() == null ? null : switch (request.kind()) {
      case "completed" -> JobStatus.COMPLETED;
      case "failed" -> JobStatus.FAILED;
      default -> null;
    };
    if (kind == null) {
      throw ProblemException.badRequest("invalid-kind", "Field 'kind' must be completed or failed.");
    }
    int attempt = request.attempt() == null ? 1 : request.attempt();
    boolean send = decide(conversions.find(jobId), kind, attempt);
    return Json.MESSAGES.writeValueAsBytes(Map.of("send", send));
  }

  static boolean decide(Optional<Conversion> row, JobStatus kind, int attempt) {
    if (row.isEmpty()) {
      return false;
    }
    Conversion conversion = row.get();
    if (conversion.deleted() || conversion.attempts() != attempt) {
      return false;
    }
    if (!conversion.status().isFinal()) {
      throw ProblemException.conflict("not-applied-yet",
          "The conversion is " + conversion.status().code() + "; its " + kind.code() + " event is not applied yet.");
    }
    return conversion.status() == kind;
  }

  private Conversion owned(UUID jobId, UUID userId) {
    return conversions.findOwned(jobId, userId)
        .map(Downloads::notDeleted)
        .orElseThrow(() -> ProblemException.notFound("No conversion with this id."));
  }
}
