package com.mp3converter.gateway.conversions;

import static com.mp3converter.gateway.ExchangePropertyNames.JOB;
import static com.mp3converter.gateway.ExchangePropertyNames.USER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.messages.Bitrate;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.shared.url.SourceUrlPolicy;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  public ConversionIntake(RequestBodies bodies, SourceUrlPolicy sourcePolicy, Clock clock) {
    this.bodies = bodies;
    this.sourcePolicy = sourcePolicy;
    this.clock = clock;
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

  static Bitrate checkBitrate(String label) {
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

  /** The 503 for a job the broker did not confirm (its row is already marked failed). */
  public void brokerUnavailable(
      @ExchangeProperty(JOB) ConversionRequested job, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
    LOG.warn("Job {} was not confirmed by the broker and is marked failed: {}", job.jobId(), String.valueOf(cause));
    throw ProblemException.unavailable(
        "broker-unavailable", "The job could not be queued and was not started; try again shortly.");
  }

  /** The 202 body (UTF-8 bytes, so no platform charset is ever involved). */
  public byte[] accepted(@ExchangeProperty(JOB) ConversionRequested job) throws JsonProcessingException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", job.jobId());
    body.put("status", JobStatus.QUEUED.code());
    return Json.MESSAGES.writeValueAsBytes(body);
  }
}
