package com.mp3converter.notifier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
import com.mp3converter.testing.TestSecrets;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The notifier's routes against the real local RabbitMQ and PostgreSQL (a fresh database for its record of sent
 * emails), a WireMock gateway and the Resend stub. Other services' tests may publish to the same exchange, so
 * every assertion looks only at this test's job.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = NotifierApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=notifier",
      "management.server.port=0",
      "MP3_MAIL_FROM=mp3-converter <noreply@example.test>",
      // Fast backoff so retries are observable quickly; a 429's retry-after (1 s) stands out against it.
      "mp3.notifier.retry.max-redeliveries=3",
      "mp3.notifier.retry.initial-delay-ms=50",
      "mp3.notifier.retry.max-delay-ms=200",
      // Low enough that a burst shows the cap, high enough not to slow the other tests' few calls.
      "MP3_RESEND_MAX_PER_SECOND=5",
      // A statement kept waiting for a row lock fails after this long: how a test makes the database fail a step.
      "spring.datasource.hikari.connection-init-sql=SET lock_timeout = '" + NotifierRoutesTest.LOCK_TIMEOUT_MS + "ms'"
    })
// The context must not outlive the class's virtual host.
@DirtiesContext
class NotifierRoutesTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final String INTERNAL_TOKEN = TestSecrets.token();
  static final int LOCK_TIMEOUT_MS = 400;
  private static final String QUEUE = "notifier.events";
  private static final String DLQ = "notifier.events.dlq";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final WireMockServer GATEWAY = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private static final ResendStub RESEND;
  private static final String DATABASE = TestDatabase.create("notifier");

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
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
    registry.add("MP3_GATEWAY_INTERNAL_URL", GATEWAY::baseUrl);
    registry.add("MP3_RESEND_BASE_URL", RESEND::baseUrl);
    registry.add("MP3_RESEND_API_KEY", RESEND::apiKey);
    registry.add("MP3_INTERNAL_TOKEN", () -> INTERNAL_TOKEN);
  }

  @AfterAll
  static void stopServers() {
    GATEWAY.stop();
    RESEND.close();
  }

  @Autowired RabbitTemplate rabbit;
  @Autowired CamelContext camel;
  @Autowired MeterRegistry meters;
  @Autowired ProducerTemplate producer;
  @Autowired SentEmails sentEmails;
  @Autowired DataSource dataSource;

  private String jobId;
  private String key;

  @BeforeEach
  void cleanSlate() {
    // Events an earlier test left may be in flight: let them finish before the stubs are reset and scripted, so
    // none of them takes an answer meant for this test.
    RABBIT.purge(QUEUE);
    await().atMost(WAIT).until(() -> camel.getInflightRepository().size("notifier-consume") == 0);
    RABBIT.purge(QUEUE, DLQ);
    RESEND.reset();
    GATEWAY.resetAll();
    allowEmails();
    jobId = UUID.randomUUID().toString();
  }

  /** The gateway's email check says yes (the job ends the way its event says). */
  private static void allowEmails() {
    GATEWAY.stubFor(post("/internal/email-checks").willReturn(okJson("{\"send\":true}")));
  }

  @Test
  void anEmailResendTookIsRecordedInTheNotifiersOwnDatabase() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    double sentBefore = meters.get("mp3.emails.sent").tag("kind", "completed").counter().count();

    publishCompleted(jobId, "Ada");

    ResendApi.Email email = awaitEmail(key);
    assertAcknowledged();
    assertThat(meters.get("mp3.emails.sent").tag("kind", "completed").counter().count()).isEqualTo(sentBefore + 1);
    SentEmails.SentEmail row = sentEmails.find(jobId, 1).orElseThrow();
    assertThat(row.kind()).isEqualTo("completed");
    assertThat(row.status()).isEqualTo(SentEmails.Status.SENT);
    assertThat(row.emailId()).isEqualTo(email.id());
    // Two calls to the gateway for this email: may it go out (the job was not cancelled), and the download link.
    assertThat(GATEWAY.getAllServeEvents()).hasSize(2);
    GATEWAY.verify(1, postRequestedFor(urlEqualTo("/internal/email-checks"))
        .withRequestBody(equalToJson("{\"conversionId\":\"" + jobId + "\",\"kind\":\"completed\",\"attempt\":1}")));
    GATEWAY.verify(1, linkRequestsFor(jobId));
  }

  @Test
  void aJobThatHadItsEmailGetsNoOtherEvenAfterResendForgotTheKey() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    // The job's failed email went out earlier (more than a day ago, say: Resend no longer knows the key).
    recordSent(jobId, "failed");
    double before = counter("already-sent");

    publishCompleted(jobId, "Ada");

    await().atMost(WAIT).until(() -> counter("already-sent") > before);
    assertAcknowledged();
    assertThat(RESEND.attempts()).noneMatch(a -> a.idempotencyKey() != null && a.idempotencyKey().contains(jobId));
    // No link is signed for an email that does not go out.
    assertThat(GATEWAY.findAll(linkRequestsFor(jobId))).isEmpty();
    assertThat(sentEmails.find(jobId, 1).orElseThrow().kind()).isEqualTo("failed");
  }

  @Test
  void aRedeliveredEventSendsNothingAndFetchesNoLink() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    byte[] event = completedEvent(jobId, "Ada");

    publish("conversion.completed", event);
    awaitEmail(key);
    assertAcknowledged();
    double before = counter("already-sent");
    publish("conversion.completed", event);
    await().atMost(WAIT).until(() -> counter("already-sent") > before);

    assertAcknowledged();
    assertThat(attempts(key)).hasSize(1);
    assertThat(emails(key)).hasSize(1);
    GATEWAY.verify(1, linkRequestsFor(jobId));
  }

  @Test
  void aCrashBetweenSendAndRecordIsCoveredByTheIdempotencyKey() throws Exception {
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
    assertAcknowledged();

    // As if the notifier had died after Resend took the email and before it recorded that: the claim is left.
    forgetTheAnswer(jobId);
    publish("conversion.completed", event);
    await().atMost(WAIT).until(() -> attempts(key).size() == 2);

    assertThat(attempts(key)).extracting(ResendStub.Attempt::idempotencyKey).containsExactly(key, key);
    assertThat(attempts(key)).extracting(ResendStub.Attempt::status).containsExactly(200, 409);
    assertAcknowledged();
    assertThat(emails(key)).hasSize(1);
    assertThat(sentEmails.find(jobId, 1).orElseThrow().status()).isEqualTo(SentEmails.Status.DUPLICATE);
    assertThat(RABBIT.messageCount(DLQ)).isZero();
  }

  @Test
  void theSameEmailAfterACrashIsReplayedByResend() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    byte[] event = completedEvent(jobId, "Ada");
    publish("conversion.completed", event);
    ResendApi.Email email = awaitEmail(key);
    assertAcknowledged();

    forgetTheAnswer(jobId);
    publish("conversion.completed", event);
    await().atMost(WAIT).until(() -> attempts(key).size() == 2);

    assertThat(attempts(key)).extracting(ResendStub.Attempt::status).containsExactly(200, 200);
    assertAcknowledged();
    assertThat(emails(key)).hasSize(1);
    await().atMost(WAIT).until(() -> sentEmails.find(jobId, 1).orElseThrow().status() == SentEmails.Status.SENT);
    assertThat(sentEmails.find(jobId, 1).orElseThrow().emailId()).isEqualTo(email.id());
  }

  @Test
  void concurrentEventsOfOneJobSendOneEmail() throws Exception {
    stubLink(jobId, linkFor(jobId));
    byte[] completed = completedEvent(jobId, "Ada");
    byte[] failed = Json.MESSAGES.writeValueAsBytes(new ConversionFailed(
        1, jobId, UUID.randomUUID().toString(), jobId + "@example.test", "Ada", "timeout", null, Instant.now()));
    // What competing consumers (replicas) would do with the same event delivered twice and the job's other
    // event: all at once, through the routes the consumer hands events to.
    List<Callable<Object>> deliveries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      deliveries.add(() -> producer.requestBody("direct:notifier-completed", completed));
      deliveries.add(() -> producer.requestBody("direct:notifier-failed", failed));
    }

    runAtOnce(deliveries);

    List<ResendApi.Email> sent = RESEND.emails().stream()
        .filter(e -> e.idempotencyKey() != null && e.idempotencyKey().contains(jobId)).toList();
    assertThat(sent).hasSize(1);
    SentEmails.SentEmail row = sentEmails.find(jobId, 1).orElseThrow();
    assertThat(sent.get(0).idempotencyKey()).isEqualTo("conversion-" + jobId + "-" + row.kind());
    assertThat(row.status()).isEqualTo(SentEmails.Status.SENT);
    assertThat(row.emailId()).isEqualTo(sent.get(0).id());
  }

  @Test
  void ofManySimultaneousClaimsOneKindWinsUntilItsEmailIsRecorded() throws Exception {
    List<String> kinds = new ArrayList<>();
    List<Callable<SentEmails.Claim>> claims = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String kind = i % 2 == 0 ? "completed" : "failed";
      kinds.add(kind);
      claims.add(() -> sentEmails.claim(jobId, kind, 1, null));
    }

    List<SentEmails.Claim> answers = runAtOnce(claims);

    // Every claim sees the same row; exactly those of its kind may send (Resend's key then makes it one email).
    String winner = sentEmails.find(jobId, 1).orElseThrow().kind();
    for (int i = 0; i < answers.size(); i++) {
      assertThat(answers.get(i).email().kind()).isEqualTo(winner);
      assertThat(answers.get(i).granted()).as("claim %d for %s", i, kinds.get(i)).isEqualTo(kinds.get(i).equals(winner));
    }
    sentEmails.sent(jobId, winner, 1, new ResendOutcome("re_1", false));
    assertThat(sentEmails.claim(jobId, winner, 1, null).granted()).isFalse();
    assertThat(sentEmails.find(jobId, 1).orElseThrow().emailId()).isEqualTo("re_1");
  }

  @Test
  void aDatabaseStatementThatFailsIsRetriedNotDropped() throws Exception {
    key = "conversion-" + jobId + "-completed";
    stubLink(jobId, linkFor(jobId));
    try (Connection blocker = dataSource.getConnection()) {
      // An uncommitted row for the job: the notifier's claim waits for it and fails at its lock timeout.
      blocker.setAutoCommit(false);
      try (PreparedStatement insert = blocker.prepareStatement(
          "INSERT INTO sent_emails (conversion_id, kind, status, claimed_at) VALUES (?, 'failed', 'sending', now())")) {
        insert.setObject(1, UUID.fromString(jobId));
        insert.executeUpdate();
      }

      publishCompleted(jobId, "Ada");
      Set<String> first = await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
          .until(this::claimsWaiting, waiting -> !waiting.isEmpty());
      // A new attempt waits: the first one failed and was retried. Now the row goes away and the retry wins.
      await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
          .until(this::claimsWaiting, waiting -> !waiting.isEmpty() && !first.containsAll(waiting));
      blocker.rollback();
    }

    awaitEmail(key);
    assertAcknowledged();
    assertThat(sentEmails.find(jobId, 1).orElseThrow().status()).isEqualTo(SentEmails.Status.SENT);
    assertThat(RABBIT.messageCount(DLQ)).isZero();
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
    assertThat(email.text()).contains(url).contains("Your MP3 is kept until 1 January 2030, 00:00 UTC; then it is deleted");

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
    // A failure email needs one answer from the gateway: that the job did end failed (not cancelled meanwhile).
    GATEWAY.verify(1, postRequestedFor(urlEqualTo("/internal/email-checks"))
        .withHeader("Authorization", equalTo("Bearer " + INTERNAL_TOKEN))
        .withRequestBody(equalToJson("{\"conversionId\":\"" + jobId + "\",\"kind\":\"failed\",\"attempt\":1}")));
    assertThat(GATEWAY.findAll(linkRequestsFor(jobId))).isEmpty();
    assertAcknowledged();
  }

  @Test
  void noEmailGoesOutForAJobTheGatewaySaysWasCancelledOrRetried() throws Exception {
    GATEWAY.resetAll();
    GATEWAY.stubFor(post("/internal/email-checks").willReturn(okJson("{\"send\":false}")));
    stubLink(jobId, linkFor(jobId));

    publishCompleted(jobId, "Ada");
    publishFailed(jobId, "The conversion took too long and was stopped.");

    await().atMost(WAIT).until(() -> GATEWAY.findAll(postRequestedFor(urlEqualTo("/internal/email-checks"))).size() == 2);
    assertAcknowledged();
    assertThat(RESEND.attempts()).isEmpty();
    assertThat(sentEmails.find(jobId, 1)).isEmpty();
    assertThat(GATEWAY.findAll(linkRequestsFor(jobId))).isEmpty();
  }

  @Test
  void aRetriedJobsNextAttemptGetsItsOwnEmail() throws Exception {
    stubLink(jobId, linkFor(jobId));
    publishFailed(jobId, "We could not download the file from the address you gave.");
    awaitEmail("conversion-" + jobId + "-failed");

    String user = UUID.randomUUID().toString();
    publish("conversion.completed", Json.MESSAGES.writeValueAsBytes(new ConversionCompleted(1, jobId, user,
        jobId + "@example.test", "Ada", "users/" + user + "/" + jobId + ".mp3", 4_200_000, 182.4, Instant.now(), null, 2)));
    key = "conversion-" + jobId + "-completed-attempt-2";
    awaitEmail(key);
    GATEWAY.verify(1, postRequestedFor(urlEqualTo("/internal/email-checks"))
        .withRequestBody(matchingJsonPath("$.attempt", equalTo("2"))));
    assertThat(sentEmails.find(jobId, 1).orElseThrow().kind()).isEqualTo("failed");
    assertThat(sentEmails.find(jobId, 2).orElseThrow().kind()).isEqualTo("completed");
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
    double failedBefore = meters.get("mp3.emails.failed").tag("kind", "completed").counter().count();

    publishCompleted(jobId, "Ada");

    await().atMost(WAIT).until(() -> counter("rejected") > rejectedBefore);
    assertAcknowledged();
    assertThat(meters.get("mp3.emails.failed").tag("kind", "completed").counter().count())
        .isEqualTo(failedBefore + 1);
    assertThat(attempts(key)).extracting(ResendStub.Attempt::status).containsExactly(422);
    assertThat(sentEmails.find(jobId, 1).orElseThrow().status()).isEqualTo(SentEmails.Status.REJECTED);
    assertThat(emails(key)).isEmpty();
    assertThat(RABBIT.messageCount(DLQ)).isZero();

    // Delivered again, the event does not ask Resend again: the refusal is recorded.
    double alreadyBefore = counter("already-sent");
    publishCompleted(jobId, "Ada");
    await().atMost(WAIT).until(() -> counter("already-sent") > alreadyBefore);
    assertThat(attempts(key)).hasSize(1);
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
    allowEmails();
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

    // Once the key is right, an operator replays the parked event: the claim it left lets it send.
    publish("conversion.failed", parked.getBody());
    awaitEmail(key);
    assertAcknowledged();
    assertThat(emails(key)).hasSize(1);
    assertThat(sentEmails.find(jobId, 1).orElseThrow().status()).isEqualTo(SentEmails.Status.SENT);
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

  /** The job's email as sent and recorded, as an earlier event would have left it. */
  private void recordSent(String job, String kind) throws Exception {
    assertThat(sentEmails.claim(job, kind, 1, null).granted()).isTrue();
    sentEmails.sent(job, kind, 1, new ResendOutcome("re_earlier", false));
  }

  /** The job's row as a notifier that died after Resend's answer leaves it: claimed, nothing recorded. */
  private void forgetTheAnswer(String job) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement update = c.prepareStatement(
            "UPDATE sent_emails SET status = 'sending', email_id = NULL, finished_at = NULL WHERE conversion_id = ?")) {
      update.setObject(1, UUID.fromString(job));
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  /** The notifier's claims now waiting for a row lock, each as backend and statement start. */
  private Set<String> claimsWaiting() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement query = c.prepareStatement("""
            SELECT pid, query_start FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock'
              AND query LIKE 'INSERT INTO sent_emails%'""");
        ResultSet rows = query.executeQuery()) {
      Set<String> waiting = new HashSet<>();
      while (rows.next()) {
        waiting.add(rows.getInt("pid") + "@" + rows.getTimestamp("query_start").toInstant());
      }
      return waiting;
    }
  }

  /** Runs the calls on threads of their own, released together; answers their results, failing on any error. */
  private static <T> List<T> runAtOnce(List<Callable<T>> calls) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(calls.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> call : calls) {
        futures.add(threads.submit(() -> {
          start.await();
          return call.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      }
      return results;
    } finally {
      threads.shutdownNow();
    }
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
      assertThat(RABBIT.messageCount(QUEUE)).isZero();
    } finally {
      camel.getRouteController().startRoute("notifier-consume");
    }
  }
}
