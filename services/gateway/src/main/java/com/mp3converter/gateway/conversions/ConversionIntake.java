package com.mp3converter.gateway.conversions;

import static com.mp3converter.gateway.ExchangePropertyNames.JOB;
import static com.mp3converter.gateway.ExchangePropertyNames.USER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.metrics.GatewayMetrics;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.messages.Bitrate;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.shared.url.SourceUrlPolicy;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeException;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpTimeoutException;

/**
 * {@code POST /conversions}: checks the request, makes the job, and gives the route what it publishes and
 * answers. The URL check here is the syntactic one (scheme, port, literal addresses, blocked names); the worker
 * resolves the host and checks every address before it connects.
 */
public final class ConversionIntake {
  private static final Logger LOG = LoggerFactory.getLogger(ConversionIntake.class);

  /** The request body of {@code POST /conversions}. */
  public record ConversionRequest(String url, String bitrate) {}

  private final RequestBodies bodies;
  private final SourceUrlPolicy sourcePolicy;
  private final Clock clock;
  private final GatewayMetrics metrics;

  public ConversionIntake(RequestBodies bodies, SourceUrlPolicy sourcePolicy, Clock clock, GatewayMetrics metrics) {
    this.bodies = bodies;
    this.sourcePolicy = sourcePolicy;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The caller's new job from the request body (400 for anything that is not an acceptable request). */
  public ConversionRequested accept(@ExchangeProperty(USER) AccessClaims user, @Body byte[] body) throws IOException {
    return newJob(user, bodies.parse(body, ConversionRequest.class));
  }

  ConversionRequested newJob(AccessClaims user, ConversionRequest request) {
    URI source = checkUrl(request.url());
    Bitrate bitrate = checkBitrate(request.bitrate());
    // PostgreSQL keeps microseconds; the stored time and the published one must be the same instant.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return new ConversionRequested(
        ConversionRequested.VERSION, UUID.randomUUID().toString(), user.userId(), user.email(), user.name(),
        source.toString(), bitrate.label(), now);
  }

  URI checkUrl(String url) {
    if (url == null || url.isBlank()) {
      throw ProblemException.badRequest("invalid-url", "Field 'url' is required.");
    }
    try {
      return sourcePolicy.check(url);
    } catch (BlockedUrlException e) {
      throw ProblemException.badRequest("invalid-url", e.getMessage());
    }
  }

  public static Bitrate checkBitrate(String label) {
    if (label == null) {
      return Bitrate.DEFAULT;
    }
    return Bitrate.fromLabel(label).orElseThrow(() -> ProblemException.badRequest(
        "invalid-bitrate", "Field 'bitrate' must be one of " + String.join(", ", Bitrate.labels()) + "."));
  }

  /** The {@code conversion.requested} message, UTF-8 JSON. */
  public byte[] message(@ExchangeProperty(JOB) ConversionRequested job) throws JsonProcessingException {
    return Json.MESSAGES.writeValueAsBytes(job);
  }

  /**
   * Whether a failed publish certainly left the job outside the broker, so that nothing can arrive later: no
   * connection could be opened (the message never left the gateway), the broker refused it with a negative
   * acknowledgement (camel-spring-rabbitmq reports a nack as a bare {@link TimeoutException}, "Message not sent
   * within ..."), or the broker closed the channel on it (a channel error, such as a missing exchange). Anything
   * else - a confirm that did not come in time (Spring's {@link AmqpTimeoutException}), a connection lost while
   * waiting for the confirm, a failure not recognised here - may have left the job on the broker: unknown.
   */
  public boolean brokerRefused(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
    return certainlyRefused(failure);
  }

  static boolean certainlyRefused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AmqpTimeoutException) {
        return false;
      }
      if (t instanceof TimeoutException || t instanceof ConnectException) {
        return true;
      }
      if (t instanceof ShutdownSignalException shutdown) {
        return !shutdown.isHardError() && !shutdown.isInitiatedByApplication();
      }
    }
    return false;
  }

  /** The 503 for a job the broker certainly did not take (its row is already marked failed). */
  public void brokerUnavailable(
      @ExchangeProperty(JOB) ConversionRequested job, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
    LOG.warn("Job {} was refused by the broker or never reached it, and is marked failed: {}", job.jobId(),
        String.valueOf(cause));
    throw ProblemException.unavailable(
        "broker-unavailable", "The job could not be queued and was not started; try again shortly.");
  }

  /**
   * A publish whose outcome is unknown (see {@link #brokerRefused}): the job is stored as queued and stays without
   * {@code published_at}, so the reconciler (gateway-recover-unpublished) publishes it again; the client gets the
   * 202 all the same. Should the broker have taken the first copy, the job runs from whichever copy comes first
   * and the other is recognised by its job id (the worker announces the stored MP3, the notifier sends one email).
   */
  public void confirmUnknown(
      @ExchangeProperty(JOB) ConversionRequested job, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
    LOG.warn("Job {} was published but not confirmed ({}); it stays queued and the reconciler publishes it again",
        job.jobId(), String.valueOf(cause));
  }

  /**
   * The 202 body (UTF-8 bytes, so no platform charset is ever involved): the last step of an accepted job, where it
   * is counted.
   */
  public byte[] accepted(@ExchangeProperty(JOB) ConversionRequested job) throws JsonProcessingException {
    metrics.accepted();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", job.jobId());
    body.put("status", JobStatus.QUEUED.code());
    return Json.MESSAGES.writeValueAsBytes(body);
  }
}
