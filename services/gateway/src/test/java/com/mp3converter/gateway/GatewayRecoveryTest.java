package com.mp3converter.gateway;

import static com.mp3converter.gateway.GatewayRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.TestSecrets;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway keeping its own promises: jobs stored but never confirmed are published, jobs stuck past their
 * deadline are re-queued and then failed (their users told through conversion.failed), a job the broker took
 * without confirming follows what the worker reports, and the notifier's record of sent emails. Real PostgreSQL
 * and RabbitMQ; the checks run every half second here.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=gateway",
      "management.server.port=0",
      "mp3.recovery.interval-ms=500",
      "mp3.recovery.max-requeues=1"
    })
// The context must not outlive the class's virtual host.
@DirtiesContext
class GatewayRecoveryTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final String INTERNAL_TOKEN = TestSecrets.token();
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final String DATABASE = TestDatabase.create("gateway_recovery");
  static final Duration WAIT = Duration.ofSeconds(20);

  @LocalServerPort
  int port;

  @Autowired
  JdbcTemplate jdbc;

  final HttpClient http = HttpClient.newHttpClient();
  private Connection connection;
  private Channel channel;
  private String tap;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("MP3_S3_ACCESS_KEY", () -> "gateway");
    registry.add("MP3_S3_SECRET_KEY", () -> TestSecrets.hex(24));
    registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
    registry.add("MP3_AUTH_URL", AUTH::url);
    registry.add("MP3_INTERNAL_TOKEN", () -> INTERNAL_TOKEN);
  }

  @AfterAll
  static void stopAuth() {
    AUTH.close();
  }

  /** A private queue that sees every job and failure published on the exchange, whoever else consumes them. */
  @BeforeEach
  void tapTheExchange() throws Exception {
    connection = RABBIT.connectionFactory().newConnection("gateway-recovery-test");
    channel = connection.createChannel();
    tap = channel.queueDeclare("", false, true, true, null).getQueue();
    channel.queueBind(tap, Topology.EXCHANGE, Topology.REQUESTED);
    channel.queueBind(tap, Topology.EXCHANGE, Topology.FAILED);
  }

  @AfterEach
  void closeTap() throws Exception {
    connection.close();
  }

  @Test
  void anAcceptedJobIsStoredWithWhatIsNeededToRebuildItAndMarkedPublished() throws Exception {
    String user = UUID.randomUUID().toString();
    HttpResponse<String> accepted = send(request("/conversions", "Bearer " + AUTH.token(user))
        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://audio.example.com/a.wav\"}")));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    UUID id = UUID.fromString(Json.MESSAGES.readTree(accepted.body()).get("id").asText());

    Map<String, Object> row = jdbc.queryForMap("SELECT email, name FROM conversions WHERE id = ?", id);
    assertThat(row.get("email")).isEqualTo(user + "@example.com");
    assertThat(row.get("name")).isEqualTo("User " + user);
    // Recorded off the request, in the next batch of marks (mp3.intake.published-mark-ms).
    await().atMost(WAIT).until(() -> jdbc.queryForObject(
        "SELECT published_at IS NOT NULL FROM conversions WHERE id = ?", Boolean.class, id));
  }

  @Test
  void aJobStoredButNeverConfirmedIsPublishedOnce() throws Exception {
    UUID id = insert("queued", null, Instant.now().minus(Duration.ofMinutes(5)), 0);

    Message job = awaitMessage(Topology.REQUESTED, id);
    assertThat(job.body().path("sourceUrl").asText()).isEqualTo("https://audio.example.com/" + id + ".wav");
    assertThat(job.body().path("email").asText()).isEqualTo(id + "@example.com");
    assertThat(job.body().path("bitrate").asText()).isEqualTo("192k");
    assertThat(job.body().path("v").asInt()).isEqualTo(1);
    await().atMost(WAIT).until(() -> jdbc.queryForObject(
        "SELECT published_at IS NOT NULL FROM conversions WHERE id = ?", Boolean.class, id));

    // Recorded as published: later checks (every 500 ms) leave it alone.
    await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> messagesFor(id), List::isEmpty);
  }

  @Test
  void aStuckJobIsRequeuedThenFailedAndItsUserTold() throws Exception {
    Instant longAgo = Instant.now().minus(Duration.ofHours(2));
    UUID id = insert("processing", longAgo, longAgo, 0);

    Message requeued = awaitMessage(Topology.REQUESTED, id);
    assertThat(requeued.headers()).containsEntry("x-mp3-requeued", "true");
    assertThat(jdbc.queryForObject("SELECT requeues FROM conversions WHERE id = ?", Integer.class, id)).isEqualTo(1);

    // Still no progress after its one re-queue (max-requeues=1): failed, through an event the notifier emails.
    jdbc.update("UPDATE conversions SET updated_at = ? WHERE id = ?", Timestamp.from(longAgo), id);
    Message failed = awaitMessage(Topology.FAILED, id);
    assertThat(failed.body().path("reason").asText()).isEqualTo("timeout");
    assertThat(failed.body().path("email").asText()).isEqualTo(id + "@example.com");
    assertThat(failed.body().path("message").asText()).isNotBlank();
    // The status consumer applies it like the worker's own failures.
    publishAndAwait(id, "failed", Topology.FAILED, failed.body().toString());
    assertThat(jdbc.queryForObject("SELECT error_reason FROM conversions WHERE id = ?", String.class, id))
        .isEqualTo("timeout");
  }

  @Test
  void finishedAndRecentJobsAreLeftAlone() throws Exception {
    Instant longAgo = Instant.now().minus(Duration.ofHours(2));
    UUID done = insert("completed", longAgo, longAgo, 0);
    UUID recent = insert("processing", Instant.now(), Instant.now(), 0);
    UUID justStored = insert("queued", null, Instant.now(), 0);

    // Four checks (every 500 ms) pass without touching them.
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> messagesFor(done).isEmpty()
        && messagesFor(recent).isEmpty() && messagesFor(justStored).isEmpty());
  }

  @Test
  void aJobTheBrokerTookWithoutConfirmingFollowsTheWorker() throws Exception {
    UUID id = insert("failed", null, Instant.now(), 0);
    jdbc.update("UPDATE conversions SET error_reason = 'broker_unavailable' WHERE id = ?", id);
    String user = jdbc.queryForObject("SELECT user_id::text FROM conversions WHERE id = ?", String.class, id);

    publishAndAwait(id, "completed", Topology.COMPLETED, Json.MESSAGES.writeValueAsString(new ConversionCompleted(
        1, id.toString(), user, "e@example.com", "E", ObjectKeys.output(user, id.toString(), OutputFormat.MP3), 10,
        1.0, Instant.now())));

    Map<String, Object> row = jdbc.queryForMap("SELECT error_reason, published_at FROM conversions WHERE id = ?", id);
    assertThat(row.get("error_reason")).isNull();
    assertThat(row.get("published_at")).isNotNull();
  }

  @Test
  void theNotifiersRecordOfSentEmailsIsNoLongerKeptHere() throws Exception {
    String id = UUID.randomUUID().toString();
    String credential = "Bearer " + INTERNAL_TOKEN;

    // The notifier keeps it in its own database now: no API for it (an unknown path, answered as a plain 404
    // problem), no table (migration V3).
    assertProblem(send(request("/internal/notifications/" + id, credential).GET()), 404, "about:blank");
    assertProblem(send(request("/internal/notifications/" + id, credential)
        .PUT(HttpRequest.BodyPublishers.ofString("{\"kind\":\"failed\",\"outcome\":\"sent\"}"))), 404,
        "about:blank");
    assertThat(jdbc.queryForObject("SELECT to_regclass('notifications') IS NULL", Boolean.class)).isTrue();
  }

  // ---------------------------------------------------------------------------------------------- helpers

  record Message(String routingKey, JsonNode body, Map<String, Object> headers) {}

  private final List<Message> seen = new ArrayList<>();

  private UUID insert(String status, Instant publishedAt, Instant updatedAt, int requeues) {
    UUID id = UUID.randomUUID();
    jdbc.update("INSERT INTO conversions (id, user_id, email, name, source_url, bitrate, status, "
            + "published_at, requeues, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '192k', ?, ?, ?, ?, ?)",
        id, UUID.randomUUID(), id + "@example.com", "N", "https://audio.example.com/" + id + ".wav", status,
        publishedAt == null ? null : Timestamp.from(publishedAt), requeues, Timestamp.from(updatedAt),
        Timestamp.from(updatedAt));
    return id;
  }

  /** Publishes the event once (only this class's gateway consumes in its virtual host) and waits until applied. */
  private void publishAndAwait(UUID id, String status, String routingKey, String event) {
    RABBIT.publish(Topology.EXCHANGE, routingKey, event);
    await().alias("job " + id + " becomes " + status).atMost(WAIT)
        .until(() -> jdbc.queryForObject("SELECT status FROM conversions WHERE id = ?", String.class, id), status::equals);
  }

  private Message awaitMessage(String routingKey, UUID id) {
    Message message = await().alias(routingKey + " for job " + id).atMost(WAIT).pollInterval(Duration.ofMillis(50))
        .until(() -> messagesFor(id).stream().filter(m -> m.routingKey().equals(routingKey)).findFirst(),
            java.util.Optional::isPresent)
        .get();
    seen.remove(message);
    return message;
  }

  /** What the tap holds for this job. */
  private List<Message> messagesFor(UUID id) throws Exception {
    GetResponse response;
    while ((response = channel.basicGet(tap, true)) != null) {
      JsonNode body;
      try {
        body = Json.MESSAGES.readTree(response.getBody());
      } catch (java.io.IOException notJson) {
        continue;
      }
      Map<String, Object> headers = new java.util.HashMap<>();
      if (response.getProps().getHeaders() != null) {
        response.getProps().getHeaders().forEach((k, v) -> headers.put(k, v == null ? null : v.toString()));
      }
      seen.add(new Message(response.getEnvelope().getRoutingKey(), body, headers));
    }
    return seen.stream().filter(m -> id.toString().equals(m.body().path("jobId").asText())).toList();
  }

  private HttpRequest.Builder request(String path, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
