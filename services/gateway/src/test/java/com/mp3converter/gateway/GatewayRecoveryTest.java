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
import com.mp3converter.testing.Rabbit;
import com.mp3converter.testing.TestDatabase;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
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
class GatewayRecoveryTest {
  static final String INTERNAL_TOKEN = "recovery-internal-token";
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
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(Rabbit.HOST);
    factory.setPort(Rabbit.PORT);
    factory.setVirtualHost(Rabbit.VHOST);
    connection = factory.newConnection("gateway-recovery-test");
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

    Map<String, Object> row = jdbc.queryForMap("SELECT email, name, published_at FROM conversions WHERE id = ?", id);
    assertThat(row.get("email")).isEqualTo(user + "@example.com");
    assertThat(row.get("name")).isEqualTo("User " + user);
    assertThat(row.get("published_at")).isNotNull();
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

    // Recorded as published: later checks leave it alone.
    Thread.sleep(1500);
    assertThat(messagesFor(id)).isEmpty();
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
    // The status consumer applies it like the worker's own failures; on a broker shared with other suites their
    // gateway may take it first, so it is published again until applied (status events are idempotent).
    publishUntil(id, "failed", Topology.FAILED, failed.body().toString());
    assertThat(jdbc.queryForObject("SELECT error_reason FROM conversions WHERE id = ?", String.class, id))
        .isEqualTo("timeout");
  }

  @Test
  void finishedAndRecentJobsAreLeftAlone() throws Exception {
    Instant longAgo = Instant.now().minus(Duration.ofHours(2));
    UUID done = insert("completed", longAgo, longAgo, 0);
    UUID recent = insert("processing", Instant.now(), Instant.now(), 0);
    UUID justStored = insert("queued", null, Instant.now(), 0);

    Thread.sleep(2000);
    assertThat(messagesFor(done)).isEmpty();
    assertThat(messagesFor(recent)).isEmpty();
    assertThat(messagesFor(justStored)).isEmpty();
  }

  @Test
  void aJobTheBrokerTookWithoutConfirmingFollowsTheWorker() throws Exception {
    UUID id = insert("failed", null, Instant.now(), 0);
    jdbc.update("UPDATE conversions SET error_reason = 'broker_unavailable' WHERE id = ?", id);
    String user = jdbc.queryForObject("SELECT user_id::text FROM conversions WHERE id = ?", String.class, id);

    publishUntil(id, "completed", Topology.COMPLETED, Json.MESSAGES.writeValueAsString(new ConversionCompleted(
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

  /**
   * Publishes the event every second until the row shows {@code status}: other suites' gateways on the shared
   * broker may take a status event off gateway.status first.
   */
  private void publishUntil(UUID id, String status, String routingKey, String event) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Rabbit.publish(Topology.EXCHANGE, routingKey, event);
      long retry = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < retry) {
        if (status.equals(jdbc.queryForObject("SELECT status FROM conversions WHERE id = ?", String.class, id))) {
          return;
        }
        Thread.sleep(50);
      }
    }
    throw new AssertionError("job " + id + " never became " + status);
  }

  private Message awaitMessage(String routingKey, UUID id) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Message message : messagesFor(id)) {
        if (message.routingKey().equals(routingKey)) {
          seen.remove(message);
          return message;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + routingKey + " for job " + id + " within " + WAIT);
  }

  /** What the tap holds for this job (other modules' tests publish to the same exchange). */
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
