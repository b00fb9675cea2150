package com.mp3converter.notifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.mp3converter.local.ResendApi;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionFailed;
import com.mp3converter.testing.Rabbit;
import com.mp3converter.testing.ResendStub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The notifier's routes against the real local RabbitMQ, a WireMock gateway and the Resend stub. Other
 * services' tests may publish to the same exchange, so every assertion looks only at this test's job.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = NotifierApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=notifier",
      "management.server.port=0",
      "MP3_INTERNAL_TOKEN=" + NotifierRoutesTest.INTERNAL_TOKEN,
      "MP3_MAIL_FROM=mp3-converter <noreply@example.test>",
      // Fast backoff so retries are observable quickly; a 429's retry-after (1 s) stands out against it.
      "mp3.notifier.retry.max-redeliveries=3",
      "mp3.notifier.retry.initial-delay-ms=50",
      "mp3.notifier.retry.max-delay-ms=200",
      // Low enough that a burst shows the cap, high enough not to slow the other tests' few calls.
      "MP3_RESEND_MAX_PER_SECOND=5"
    })
class NotifierRoutesTest {
  static final String INTERNAL_TOKEN = "test-internal-token";
  private static final String QUEUE = "notifier.events";
  private static final String DLQ = "notifier.events.dlq";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final WireMockServer GATEWAY = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private static final ResendStub RESEND;

  static {
    GATEWAY.start();
    try {
      RESEND = ResendStub.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void endpoints(DynamicPropertyRegistry registry) {
    registry.add("MP3_GATEWAY_INTERNAL_URL", GATEWAY::baseUrl);
    registry.add("MP3_RESEND_BASE_URL", RESEND::baseUrl);
    registry.add("MP3_RESEND_API_KEY", RESEND::apiKey);
  }

  @AfterAll
  static void stopServers() {
    GATEWAY.stop();
    RESEND.close();
  }

  @Autowired RabbitTemplate rabbit;
  @Autowired CamelContext camel;
  @Autowired MeterRegistry meters;

  private String jobId;
  private String key;

  @BeforeEach
  void cleanSlate() {
    // Events left by earlier runs or other modules' tests may be in flight: let them finish before the stubs
    // are reset and scripted, so none of them takes an answer meant for this test.
    Rabbit.purge(QUEUE);
    await().atMost(WAIT).until(() -> camel.getInflightRepository().size("notifier-consume") == 0);
    Rabbit.purge(QUEUE, DLQ);
    RESEND.reset();
    GATEWAY.resetAll();
    // The gateway's record of sent emails: nothing recorded (WireMock's 404 for any GET), every record taken.
    GATEWAY.stubFor(put(urlPathMatching("/internal/notifications/.*")).willReturn(aResponse().withStatus(204)));
    jobId = UUID.randomUUID().toString();
  }

  @Test
  void anEmailResendTookIsRecordedWithTheGateway() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));

    publishCompleted(jobId, "Ada");

    ResendApi.Email email = awaitEmail(key);
    await().atMost(WAIT).until(() -> !GATEWAY.findAll(recordsFor(jobId)).isEmpty());
    LoggedRequest record = GATEWAY.findAll(recordsFor(jobId)).get(0);
    assertThat(record.getHeader("Authorization")).isEqualTo("Bearer " + INTERNAL_TOKEN);
    assertThat(Json.MESSAGES.readTree(record.getBodyAsString()))
        .isEqualTo(Json.MESSAGES.readTree("{\"kind\":\"completed\",\"outcome\":\"sent\",\"emailId\":\"" + email.id() + "\"}"));
    // Asked before composing anything.
    GATEWAY.verify(1, getRequestedFor(urlEqualTo("/internal/notifications/" + jobId))
        .withHeader("Authorization", equalTo("Bearer " + INTERNAL_TOKEN)));
    assertAcknowledged();
  }

  @Test
  void aJobThatHadItsEmailGetsNoOtherEvenAfterResendForgotTheKey() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    GATEWAY.stubFor(get("/internal/notifications/" + jobId).willReturn(okJson(
        "{\"conversionId\":\"" + jobId + "\",\"kind\":\"failed\",\"outcome\":\"sent\",\"emailId\":\"re_1\","
            + "\"recordedAt\":\"2020-01-01T00:00:00Z\"}")));
    double before = counter("already-sent");

    publishCompleted(jobId, "Ada");

    await().atMost(WAIT).until(() -> counter("already-sent") > before);
    assertAcknowledged();
    assertThat(RESEND.attempts()).noneMatch(a -> a.idempotencyKey() != null && a.idempotencyKey().contains(jobId));
    GATEWAY.verify(0, linkRequestsFor(jobId));
    GATEWAY.verify(0, recordsFor(jobId));
  }

  @Test
  void theRecordIsAskedAgainWhenTheGatewayStumbles() throws Exception {
    key = "conversion-" + jobId + "-failed";
    GATEWAY.stubFor(get("/internal/notifications/" + jobId).inScenario("record").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    GATEWAY.stubFor(get("/internal/notifications/" + jobId).inScenario("record").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(404)));

    publishFailed(jobId, null);

    awaitEmail(key);
    GATEWAY.verify(2, getRequestedFor(urlEqualTo("/internal/notifications/" + jobId)));
    assertAcknowledged();
  }

  @Test
  void completedEventSendsOneEmailWithTheLinkAndTheRightHeaders() throws Exception {
    key = "conversion-" + jobId + "-completed";
    String url = linkFor(jobId);
    stubLink(jobId, url);

    publishCompleted(jobId, "Ada");

    ResendApi.Email email = awaitEmail(key);
    assertThat(email.to()).containsExactly(jobId + "@example.test");
    assertThat(email.from()).isEqualTo("mp3-converter <noreply@example.test>");
    assertThat(email.subject()).isEqualTo("Your MP3 is ready");
    assertThat(email.html()).contains("href=\"" + url + "\"").contains("Hello Ada,");
    assertThat(email.text()).contains(url).contains("1 January 2030, 00:00 UTC");

    List<ResendStub.Attempt> attempts = attempts(key);
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).authorization()).isEqualTo("Bearer " + RESEND.apiKey());
    assertThat(attempts.get(0).userAgent()).startsWith("mp3-converter-notifier/");

    // The internal API got the service credential, the job id, and none of the event's message headers.
    GATEWAY.verify(1, postRequestedFor(urlEqualTo("/internal/download-links"))
        .withHeader("Authorization", equalTo("Bearer " + INTERNAL_TOKEN))
        .withRequestBody(equalToJson("{\"conversionId\":\"" + jobId + "\"}")));
    LoggedRequest request = GATEWAY.findAll(linkRequestsFor(jobId)).get(0);
    Set<String> sent = request.getHeaders().keys().stream().map(String::toLowerCase).collect(Collectors.toSet());
    assertThat(sent).doesNotContain("x-trace-secret").noneMatch(h -> h.startsWith("camel"));
    assertThat(request.getHeader("Authorization")).doesNotContain(RESEND.apiKey());

    assertAcknowledged();
  }

  @Test
  void failedEventSendsTheReasonInPlainWordsEscaped() throws Exception {
    key = "conversion-" + jobId + "-failed";
    String reason = "The file is not an audio file we can read. <script>alert('x')</script>";

    publish("conversion.failed", Json.MESSAGES.writeValueAsBytes(new ConversionFailed(
        1, jobId, UUID.randomUUID().toString(), jobId + "@example.test", "Bob \"B\" <b>", "not_audio", reason,
        Instant.now())));

    ResendApi.Email email = awaitEmail(key);
    assertThat(email.subject()).isEqualTo("We could not convert your file");
    assertThat(email.to()).containsExactly(jobId + "@example.test");
    assertThat(email.html())
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .contains("Bob &quot;B&quot; &lt;b&gt;")
        .doesNotContain("<script>")
        .doesNotContain("not_audio");
    assertThat(email.text()).contains(reason);
    GATEWAY.verify(0, linkRequestsFor(jobId));
    assertAcknowledged();
  }

  @Test
  void resendServerErrorsAreRetriedUntilOneEmailIsAccepted() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    RESEND.thenAnswer(500, Map.of(), "{\"statusCode\":500,\"name\":\"internal_server_error\"}")
        .thenAnswer(500, Map.of(), "{\"statusCode\":500,\"name\":\"internal_server_error\"}");

    publishCompleted(jobId, "Ada");

    awaitEmail(key);
    assertThat(attempts(key)).extracting(ResendStub.Attempt::status).containsExactly(500, 500, 200);
    assertThat(emails(key)).hasSize(1);
    assertAcknowledged();
  }

  @Test
  void tooManyRequestsWaitsForRetryAfterThenSucceeds() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    RESEND.thenAnswer(429, Map.of("retry-after", "1"),
        "{\"statusCode\":429,\"name\":\"rate_limit_exceeded\",\"message\":\"Too many requests\"}");

    long start = System.nanoTime();
    publishCompleted(jobId, "Ada");
    awaitEmail(key);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // The backoff alone would have retried after 50 ms.
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    assertThat(attempts(key)).extracting(ResendStub.Attempt::status).containsExactly(429, 200);
    assertAcknowledged();
  }

  @Test
  void validationErrorIsNotRetriedAndTheEventIsAcknowledged() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    RESEND.thenAnswer(422, Map.of(),
        "{\"statusCode\":422,\"name\":\"validation_error\",\"message\":\"Invalid `to` field.\"}");
    double rejectedBefore = counter("rejected");

    publishCompleted(jobId, "Ada");

    await().atMost(WAIT).until(() -> counter("rejected") > rejectedBefore);
    assertAcknowledged();
    assertThat(attempts(key)).extracting(ResendStub.Attempt::status).containsExactly(422);
    GATEWAY.verify(1, recordsFor(jobId).withRequestBody(matchingJsonPath("$.outcome", equalTo("rejected"))));
    assertThat(emails(key)).isEmpty();
    assertThat(Rabbit.messageCount(DLQ)).isZero();
  }

  @Test
  void redeliveredEventUsesTheSameIdempotencyKeyAndSendsNoSecondEmail() throws Exception {
    key = "conversion-" + jobId + "-completed";
    // The gateway signs a new link on the second call, so the second request differs from the first: Resend
    // answers 409 invalid_idempotent_request, which means the user already has the email.
    GATEWAY.stubFor(post("/internal/download-links").inScenario("links").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(okJson(linkJson(linkFor(jobId) + "-first"))).willSetStateTo("signed once"));
    GATEWAY.stubFor(post("/internal/download-links").inScenario("links").whenScenarioStateIs("signed once")
        .willReturn(okJson(linkJson(linkFor(jobId) + "-second"))));

    byte[] event = completedEvent(jobId, "Ada");
    publish("conversion.completed", event);
    awaitEmail(key);
    publish("conversion.completed", event);
    await().atMost(WAIT).until(() -> attempts(key).size() == 2);

    assertThat(attempts(key)).extracting(ResendStub.Attempt::idempotencyKey).containsExactly(key, key);
    assertThat(attempts(key)).extracting(ResendStub.Attempt::status).containsExactly(200, 409);
    assertAcknowledged();
    assertThat(emails(key)).hasSize(1);
    assertThat(Rabbit.messageCount(DLQ)).isZero();
  }

  @Test
  void sameEventTwiceWithTheSameLinkIsReplayedByResend() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));

    byte[] event = completedEvent(jobId, "Ada");
    publish("conversion.completed", event);
    publish("conversion.completed", event);
    await().atMost(WAIT).until(() -> attempts(key).size() == 2);

    assertThat(attempts(key)).extracting(ResendStub.Attempt::status).containsExactly(200, 200);
    assertAcknowledged();
    assertThat(emails(key)).hasSize(1);
  }

  @Test
  void exhaustedRetriesParkTheEventInTheDeadLetterQueue() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    for (int i = 0; i < 4; i++) {
      RESEND.thenAnswer(503, Map.of(), "{\"statusCode\":503,\"name\":\"service_unavailable\"}");
    }

    publishCompleted(jobId, "Ada");

    Message parked = awaitDeadLetter();
    assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).contains(jobId);
    assertThat((String) parked.getMessageProperties().getHeader("x-notifier-error"))
        .contains("ResendRetryableException").contains("503");
    assertThat((String) parked.getMessageProperties().getHeader("x-original-routing-key"))
        .isEqualTo("conversion.completed");
    // One attempt and three redeliveries, then nothing more: no hot loop.
    assertThat(attempts(key)).hasSize(4);
    assertAcknowledged();
    assertThat(attempts(key)).hasSize(4);
    assertThat(emails(key)).isEmpty();
  }

  @Test
  void aCompletedEventThatOvertakesTheGatewaysStatusIsRetried() throws Exception {
    key = "conversion-" + jobId + "-completed";
    // The gateway has not applied conversion.completed yet (its status consumer reads another queue): 409.
    GATEWAY.stubFor(post("/internal/download-links").inScenario("behind").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/problem+json")
            .withBody("{\"status\":409,\"title\":\"The conversion is processing, not completed.\"}"))
        .willSetStateTo("caught up"));
    GATEWAY.stubFor(post("/internal/download-links").inScenario("behind").whenScenarioStateIs("caught up")
        .willReturn(okJson(linkJson(linkFor(jobId)))));

    publishCompleted(jobId, "Ada");

    awaitEmail(key);
    GATEWAY.verify(2, linkRequestsFor(jobId));
    assertAcknowledged();
  }

  @Test
  void gatewayServerErrorIsRetriedAndItsRefusalIsNot() throws Exception {
    key = "conversion-" + jobId + "-completed";
    GATEWAY.stubFor(post("/internal/download-links").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    GATEWAY.stubFor(post("/internal/download-links").inScenario("flaky").whenScenarioStateIs("up")
        .willReturn(okJson(linkJson(linkFor(jobId)))));

    publishCompleted(jobId, "Ada");
    awaitEmail(key);
    GATEWAY.verify(2, linkRequestsFor(jobId));

    // A 404 (the gateway does not know the job) cannot get better by retrying: straight to the DLQ.
    GATEWAY.resetAll();
    GATEWAY.stubFor(post("/internal/download-links").willReturn(aResponse().withStatus(404)));
    String unknownJob = UUID.randomUUID().toString();
    publishCompleted(unknownJob, "Ada");
    Message parked = awaitDeadLetter();
    assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).contains(unknownJob);
    GATEWAY.verify(1, linkRequestsFor(unknownJob));
  }

  @Test
  void wrongApiKeyParksTheEventInsteadOfDroppingIt() throws Exception {
    key = "conversion-" + jobId + "-failed";
    RESEND.thenAnswer(403, Map.of(), "{\"statusCode\":403,\"name\":\"invalid_api_key\"}");

    publishFailed(jobId, null);

    Message parked = awaitDeadLetter();
    assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).contains(jobId);
    assertThat((String) parked.getMessageProperties().getHeader("x-notifier-error"))
        .contains("403").doesNotContain(RESEND.apiKey());
    assertThat(attempts(key)).hasSize(1);
  }

  @Test
  void sendsAreCappedAtTheConfiguredRate() throws Exception {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      jobs.add(UUID.randomUUID().toString());
    }

    long start = System.nanoTime();
    for (String job : jobs) {
      publishFailed(job, "The conversion took too long and was stopped.");
    }
    await().atMost(WAIT).until(() -> jobs.stream().allMatch(job -> emails("conversion-" + job + "-failed").size() == 1));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // 5 per second: the sixth to eighth email wait for the next second.
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void malformedEventIsParkedNotLost() throws Exception {
    publish("conversion.failed", ("{\"v\":1,\"jobId\":\"not-a-uuid-" + jobId + "\"}").getBytes(StandardCharsets.UTF_8));

    Message parked = awaitDeadLetter();
    assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).contains(jobId);
    assertThat(RESEND.attempts()).isEmpty();
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private static String linkFor(String job) {
    return "http://127.0.0.1:8080/downloads/token-for-" + job;
  }

  private static String linkJson(String url) {
    return "{\"url\":\"" + url + "\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}";
  }

  private static void stubLink(String job, String url) {
    GATEWAY.stubFor(post("/internal/download-links")
        .withHeader("Authorization", equalTo("Bearer " + INTERNAL_TOKEN))
        .withRequestBody(matchingJsonPath("$.conversionId", equalTo(job)))
        .willReturn(okJson(linkJson(url))));
  }

  private static RequestPatternBuilder recordsFor(String job) {
    return putRequestedFor(urlEqualTo("/internal/notifications/" + job));
  }

  private static RequestPatternBuilder linkRequestsFor(String job) {
    return postRequestedFor(urlEqualTo("/internal/download-links"))
        .withRequestBody(matchingJsonPath("$.conversionId", equalTo(job)));
  }

  private static byte[] completedEvent(String job, String name) throws IOException {
    String user = UUID.randomUUID().toString();
    return Json.MESSAGES.writeValueAsBytes(new ConversionCompleted(1, job, user, job + "@example.test", name,
        "users/" + user + "/" + job + ".mp3", 4_200_000, 182.4, Instant.now()));
  }

  private void publishFailed(String job, String message) throws IOException {
    publish("conversion.failed", Json.MESSAGES.writeValueAsBytes(new ConversionFailed(
        1, job, UUID.randomUUID().toString(), job + "@example.test", "Bob", "timeout", message, Instant.now())));
  }

  private void publishCompleted(String job, String name) throws IOException {
    publish("conversion.completed", completedEvent(job, name));
  }

  /** Publishes like the worker does, plus a header that must never travel on to an HTTP call. */
  private void publish(String routingKey, byte[] body) {
    Message message = MessageBuilder.withBody(body)
        .setContentType(MessageProperties.CONTENT_TYPE_JSON)
        .setHeader("x-trace-secret", "must-not-leak")
        .build();
    rabbit.send("conversions", routingKey, message);
  }

  private ResendApi.Email awaitEmail(String idempotencyKey) {
    await().atMost(WAIT).until(() -> !emails(idempotencyKey).isEmpty());
    return emails(idempotencyKey).get(0);
  }

  private static List<ResendApi.Email> emails(String idempotencyKey) {
    return RESEND.emails().stream().filter(e -> idempotencyKey.equals(e.idempotencyKey())).toList();
  }

  private static List<ResendStub.Attempt> attempts(String idempotencyKey) {
    return RESEND.attempts().stream().filter(a -> idempotencyKey.equals(a.idempotencyKey())).toList();
  }

  private Message awaitDeadLetter() {
    Message message = rabbit.receive(DLQ, WAIT.toMillis());
    assertThat(message).as("a message on " + DLQ).isNotNull();
    return message;
  }

  private double counter(String outcome) {
    Counter counter = meters.find("mp3.notifier.emails").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * The event is gone from the queue for good: stopping the consumer returns any unacknowledged delivery to
   * the queue, so an empty queue afterwards means it was acknowledged.
   */
  private void assertAcknowledged() throws Exception {
    await().atMost(WAIT).until(() -> camel.getInflightRepository().size("notifier-consume") == 0);
    camel.getRouteController().stopRoute("notifier-consume");
    try {
      assertThat(Rabbit.messageCount(QUEUE)).isZero();
    } finally {
      camel.getRouteController().startRoute("notifier-consume");
    }
  }
}
