package com.mp3converter.gateway.conversions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.web.Authenticator;
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
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /conversions}: checks the request, makes the job, and gives the route what it stores, publishes
 * and answers. The URL check here is the syntactic one (scheme, port, literal addresses, blocked names); the
 * worker resolves the host and checks every address before it connects.
 */
public final class ConversionIntake {
  /** Exchange property holding the {@link ConversionRequested} job of this request. */
  public static final String JOB = "job";
  public static final String BROKER_UNAVAILABLE = "broker_unavailable";
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

  public void accept(Exchange exchange) throws IOException {
    AccessClaims user = exchange.getProperty(Authenticator.USER, AccessClaims.class);
    ConversionRequest request = bodies.read(exchange, ConversionRequest.class);
    exchange.setProperty(JOB, newJob(user, request));
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

  /** Parameters of the INSERT of a new, queued job. */
  public Map<String, Object> insertParameters(@ExchangeProperty(JOB) ConversionRequested job) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("id", UUID.fromString(job.jobId()));
    parameters.put("userId", UUID.fromString(job.userId()));
    // Kept so the gateway can rebuild the job message or tell the user on its own (JobRecovery).
    parameters.put("email", job.email());
    parameters.put("name", job.name());
    parameters.put("sourceUrl", job.sourceUrl());
    parameters.put("bitrate", job.bitrate());
    parameters.put("status", JobStatus.QUEUED.code());
    parameters.put("rank", JobStatus.QUEUED.rank());
    parameters.put("createdAt", job.requestedAt().atOffset(ZoneOffset.UTC));
    return parameters;
  }

  /** The {@code conversion.requested} message, UTF-8 JSON. */
  public byte[] message(@ExchangeProperty(JOB) ConversionRequested job) throws JsonProcessingException {
    return Json.MESSAGES.writeValueAsBytes(job);
  }

  /** Parameters of the UPDATE that records a job the broker never took, so the row does not claim it is queued. */
  public Map<String, Object> brokerFailureParameters(@ExchangeProperty(JOB) ConversionRequested job) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("id", UUID.fromString(job.jobId()));
    parameters.put("status", JobStatus.FAILED.code());
    parameters.put("rank", JobStatus.FAILED.rank());
    parameters.put("reason", BROKER_UNAVAILABLE);
    parameters.put("message", "The job could not be queued, so it was not started.");
    parameters.put("updatedAt", clock.instant().atOffset(ZoneOffset.UTC));
    return parameters;
  }

  public void brokerUnavailable(@ExchangeProperty(JOB) ConversionRequested job, Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    LOG.warn("Job {} was not confirmed by the broker and is marked failed: {}", job.jobId(), String.valueOf(cause));
    throw ProblemException.unavailable(
        "broker-unavailable", "The job could not be queued and was not started; try again shortly.");
  }

  public String location(@ExchangeProperty(JOB) ConversionRequested job) {
    return "/conversions/" + job.jobId();
  }

  /** The 202 body (UTF-8 bytes, so no platform charset is ever involved). */
  public byte[] accepted(@ExchangeProperty(JOB) ConversionRequested job) throws JsonProcessingException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", job.jobId());
    body.put("status", JobStatus.QUEUED.code());
    return Json.MESSAGES.writeValueAsBytes(body);
  }
}
