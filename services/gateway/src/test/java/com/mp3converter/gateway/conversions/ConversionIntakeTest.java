package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.gateway.conversions.ConversionIntake.ConversionRequest;
import com.mp3converter.gateway.metrics.GatewayMetrics;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.url.SourceUrlPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConversionIntakeTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-03T04:05:06.123456789Z"), ZoneOffset.UTC);
  private static final AccessClaims USER = new AccessClaims(UUID.randomUUID().toString(), "u@example.com", "Ünïcode", true);

  private static final GatewayMetrics METRICS = new GatewayMetrics(new SimpleMeterRegistry());

  private final ConversionIntake strict =
      new ConversionIntake(new RequestBodies(16384), SourceUrlPolicy.strict(), CLOCK, METRICS);

  private static void assertBadRequest(ThrowingCallable call, String slug) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class, p -> {
      assertThat(p.problem().status()).isEqualTo(400);
      assertThat(p.problem().type()).isEqualTo("/problems/" + slug);
    });
  }

  @Test
  void makesAQueuedJobForTheCaller() throws Exception {
    ConversionRequested job = strict.newJob(USER, new ConversionRequest("https://cdn.example.com/a%20b.flac#x", "320k"));
    assertThat(job.v()).isEqualTo(1);
    assertThat(UUID.fromString(job.jobId())).isNotNull();
    assertThat(job.userId()).isEqualTo(USER.userId());
    assertThat(job.email()).isEqualTo("u@example.com");
    assertThat(job.sourceUrl()).isEqualTo("https://cdn.example.com/a%20b.flac");
    assertThat(job.bitrate()).isEqualTo("320k");
    // Truncated to what PostgreSQL stores, so row and message agree.
    assertThat(job.requestedAt()).isEqualTo(Instant.parse("2026-02-03T04:05:06.123456Z"));

    JsonNode message = Json.MESSAGES.readTree(strict.message(job));
    assertThat(message.get("v").asInt()).isEqualTo(1);
    assertThat(message.get("jobId").asText()).isEqualTo(job.jobId());
    assertThat(message.get("name").asText()).isEqualTo("Ünïcode");
    assertThat(message.get("requestedAt").asText()).isEqualTo("2026-02-03T04:05:06.123456Z");
    JsonNode accepted = Json.MESSAGES.readTree(strict.accepted(job));
    assertThat(accepted.get("id").asText()).isEqualTo(job.jobId());
    assertThat(accepted.get("status").asText()).isEqualTo("queued");
  }

  @Test
  void theRequestBodyIsReadStrictly() throws Exception {
    byte[] body = "{\"url\":\"https://a.example/x.flac\",\"bitrate\":\"128k\"}".getBytes(StandardCharsets.UTF_8);
    ConversionRequested job = strict.accept(USER, body);
    assertThat(job.sourceUrl()).isEqualTo("https://a.example/x.flac");
    assertThat(job.bitrate()).isEqualTo("128k");
    assertThat(job.userId()).isEqualTo(USER.userId());
    assertBadRequest(() -> strict.accept(USER, null), "invalid-json");
    assertBadRequest(() -> strict.accept(USER, "{}".getBytes(StandardCharsets.UTF_8)), "invalid-url");
  }

  @Test
  void theDefaultBitrateIs192k() {
    assertThat(strict.newJob(USER, new ConversionRequest("http://a.example/x.wav", null)).bitrate()).isEqualTo("192k");
  }

  @Test
  void refusesBadUrlsWith400() {
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest(null, null)), "invalid-url");
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("  ", null)), "invalid-url");
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("ftp://a.example/x.wav", null)), "invalid-url");
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("file:///etc/passwd", null)), "invalid-url");
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("http://127.0.0.1/x.wav", null)), "invalid-url");
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("http://169.254.169.254/", null)), "invalid-url");
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("http://localhost/x.wav", null)), "invalid-url");
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("http://a.example:8080/x.wav", null)), "invalid-url");
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("http://u:p@a.example/x.wav", null)), "invalid-url");
  }

  @Test
  void refusesUnknownBitratesWith400() {
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("https://a.example/x", "999k")), "invalid-bitrate");
    assertBadRequest(() -> strict.newJob(USER, new ConversionRequest("https://a.example/x", "")), "invalid-bitrate");
  }

  @Test
  void localRunsMayAllowPrivateSourcesOnTheirPorts() {
    ConversionIntake local = new ConversionIntake(new RequestBodies(16384),
        new SourceUrlPolicy(true, Set.of(80, 443, 18080), SourceUrlPolicy.DEFAULT_MAX_LENGTH), CLOCK, METRICS);
    assertThat(local.newJob(USER, new ConversionRequest("http://127.0.0.1:18080/a.wav", null)).sourceUrl())
        .isEqualTo("http://127.0.0.1:18080/a.wav");
    assertBadRequest(() -> local.newJob(USER, new ConversionRequest("ftp://127.0.0.1/a.wav", null)), "invalid-url");
  }

  @Test
  void aJobTheBrokerDidNotConfirmIsA503() {
    ConversionRequested job = strict.newJob(USER, new ConversionRequest("https://a.example/x", null));
    assertThatThrownBy(() -> strict.brokerUnavailable(job, new IllegalStateException("no confirm")))
        .isInstanceOfSatisfying(ProblemException.class, p -> {
          assertThat(p.problem().status()).isEqualTo(503);
          assertThat(p.problem().type()).isEqualTo("/problems/broker-unavailable");
          assertThat(p.headers()).containsKey("Retry-After");
        });
  }

  @Test
  void aPublishTheBrokerCertainlyDidNotTakeIsToldFromOneWhoseOutcomeIsUnknown() {
    // camel-spring-rabbitmq reports a negative confirm as a bare TimeoutException ("Message not sent within ...").
    assertThat(ConversionIntake.certainlyRefused(new java.util.concurrent.TimeoutException("Message not sent within 5000 millis")))
        .as("nack").isTrue();
    assertThat(ConversionIntake.certainlyRefused(new org.springframework.amqp.AmqpConnectException(
        new java.net.ConnectException("Connection refused")))).as("no connection").isTrue();
    assertThat(ConversionIntake.certainlyRefused(new org.springframework.amqp.AmqpConnectException(
        new com.rabbitmq.client.ShutdownSignalException(false, false, null, null)))).as("channel error").isTrue();

    assertThat(ConversionIntake.certainlyRefused(new org.springframework.amqp.AmqpTimeoutException(
        "waiting", new java.util.concurrent.TimeoutException()))).as("confirm timeout").isFalse();
    assertThat(ConversionIntake.certainlyRefused(new org.springframework.amqp.AmqpConnectException(
        new com.rabbitmq.client.ShutdownSignalException(true, false, null, null)))).as("connection lost").isFalse();
    assertThat(ConversionIntake.certainlyRefused(new org.springframework.amqp.AmqpIOException(new java.io.IOException("reset"))))
        .as("anything else").isFalse();
  }
}
