package com.mp3converter.gateway;

import static com.mp3converter.gateway.GatewayRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionStarted;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.Rabbit;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the client is told when the broker's publisher confirm does not say "taken", and what becomes of the job
 * (docs/reliability.md, "Intake"). Real PostgreSQL and RabbitMQ; the gateway reaches the broker through a relay
 * ({@link BrokerRelay}) that can hold back the broker's replies, so a confirm is really lost while the broker
 * really holds the message. The worker's queue is read directly: it is what a worker would get.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=gateway",
      "management.server.port=0",
      "mp3.amqp.confirm-timeout-ms=1000",
      "mp3.recovery.interval-ms=500",
      "mp3.recovery.unpublished-after=2s"
    })
// The context must not outlive the class's virtual host.
@DirtiesContext
class IntakeOutcomeTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final String DATABASE = TestDatabase.create("gateway_intake_outcome");
  static final BrokerRelay RELAY = relay();
  static final Duration WAIT = Duration.ofSeconds(20);

  @LocalServerPort
  int port;

  @LocalManagementPort
  int managementPort;

  @Autowired
  JdbcTemplate jdbc;

  final HttpClient http = HttpClient.newHttpClient();
  private Connection connection;
  private Channel channel;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
    registry.add("spring.rabbitmq.port", RELAY::port);
    registry.add("MP3_AUTH_URL", AUTH::url);
    registry.add("MP3_INTERNAL_TOKEN", TestSecrets::token);
    registry.add("MP3_S3_ACCESS_KEY", () -> "gateway");
    registry.add("MP3_S3_SECRET_KEY", () -> TestSecrets.hex(24));
  }

  private static BrokerRelay relay() {
    try {
      return new BrokerRelay(Rabbit.HOST, Rabbit.PORT);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stopStandIns() throws Exception {
    AUTH.close();
    RELAY.close();
  }

  @BeforeEach
  void connect() throws Exception {
    // Ready means the database is migrated and the routes that wait for it are started: a job submitted before then
    // races the start-up (the first publication may find no topology yet), which is not what these tests are about.
    await().atMost(WAIT).until(() -> http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    connection = RABBIT.connectionFactory().newConnection("intake-outcome-test");
    channel = connection.createChannel();
  }

  @AfterEach
  void release() throws Exception {
    RELAY.release();
    connection.close();
  }

  @Test
  void aLostConfirmIsAcceptedAndTheJobPublishedAgainThenRecognisedAsOne() throws Exception {
    String user = UUID.randomUUID().toString();
    // One job confirmed first leaves an open confirm channel in the gateway's cache: with the replies held, a
    // new channel could not even be opened, and the job would never reach the broker.
    assertThat(http.send(submit(UUID.randomUUID().toString()), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(202);
    awaitJobMessages(1, null);
    RELAY.holdBrokerReplies();

    CompletableFuture<HttpResponse<String>> answer = http.sendAsync(submit(user), HttpResponse.BodyHandlers.ofString());
    // The broker took the job: a worker would get it.
    JsonNode job = awaitJobMessages(1, null).get(0).body();
    UUID id = UUID.fromString(job.path("jobId").asText());

    // No confirm within the timeout (1 s): the job is stored, so the client is told it was accepted.
    HttpResponse<String> response = answer.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(Json.MESSAGES.readTree(response.body()).path("id").asText()).isEqualTo(id.toString());
    Map<String, Object> row = row(id);
    assertThat(row.get("status")).isEqualTo("queued");
    assertThat(row.get("error_reason")).isNull();
    assertThat(row.get("published_at")).as("no confirm, so not recorded as published").isNull();

    // The broker's replies come through again; the reconciler publishes the job once more (2 s after it was
    // stored), marked as a job that may have run before, and records the publication.
    RELAY.release();
    List<Message> copies = awaitJobMessages(1, id);
    assertThat(copies.get(0).headers()).containsEntry("x-mp3-requeued", "true");
    await().atMost(WAIT).until(() -> row(id).get("published_at") != null);

    // The worker runs the first copy (started, completed) and, for the second, finds the stored MP3 and announces
    // it once more (routes/worker/consume.camel.yaml, worker-stored): the job is completed, once.
    String key = ObjectKeys.output(user, id.toString(), OutputFormat.MP3);
    String completed = Json.MESSAGES.writeValueAsString(new ConversionCompleted(
        1, id.toString(), user, user + "@example.com", "User " + user, key, 10, 1.0, Instant.now()));
    RABBIT.publish(Topology.EXCHANGE, Topology.STARTED, Json.MESSAGES.writeValueAsString(
        new ConversionStarted(ConversionStarted.VERSION, id.toString(), user, Instant.now())));
    RABBIT.publish(Topology.EXCHANGE, Topology.COMPLETED, completed);
    RABBIT.publish(Topology.EXCHANGE, Topology.COMPLETED, completed);
    await().atMost(WAIT).until(() -> row(id).get("status"), "completed"::equals);
    await().atMost(WAIT).until(() -> RABBIT.messageCount(Topology.GATEWAY_STATUS_QUEUE) == 0);
    assertThat(row(id).get("status")).isEqualTo("completed");
    assertThat(((Number) row(id).get("bytes")).longValue()).isEqualTo(10);

    // Published and finished: the reconciler (every 500 ms) never publishes it again.
    await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> jobMessages(id), List::isEmpty);
  }

  @Test
  void aJobTheBrokerRefusesIsFailedAndAnswered503AndNothingArrivesLater() throws Exception {
    // Confined to this class's virtual host: the worker's queue refuses every message (a negative confirm).
    rabbitmqctl("set_policy", "-p", RABBIT.name(), "refuse-jobs", "^" + Topology.WORKER_QUEUE.replace(".", "\\.") + "$",
        "{\"max-length\":0,\"overflow\":\"reject-publish\"}", "--apply-to", "queues");
    try {
      String user = UUID.randomUUID().toString();
      HttpResponse<String> response = http.send(submit(user), HttpResponse.BodyHandlers.ofString());

      assertProblem(response, 503, "/problems/broker-unavailable");
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      UUID id = jdbc.queryForObject("SELECT id FROM conversions WHERE user_id = ?::uuid", UUID.class, user);
      Map<String, Object> row = row(id);
      assertThat(row.get("status")).isEqualTo("failed");
      assertThat(row.get("error_reason")).isEqualTo("broker_unavailable");
      // Nothing on the broker, and the reconciler (every 500 ms, 2 s after storing) leaves a failed job alone.
      await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> jobMessages(id), List::isEmpty);
      assertThat(row(id).get("status")).isEqualTo("failed");
    } finally {
      rabbitmqctl("clear_policy", "-p", RABBIT.name(), "refuse-jobs");
    }
  }

  // ---------------------------------------------------------------------------------------------- helpers

  record Message(JsonNode body, Map<String, String> headers) {}

  private final List<Message> seen = new ArrayList<>();

  private Map<String, Object> row(UUID id) {
    return jdbc.queryForMap("SELECT status, error_reason, published_at, bytes FROM conversions WHERE id = ?", id);
  }

  /** Waits for this many job messages (of one job, or of any when id is null) and takes them. */
  private List<Message> awaitJobMessages(int count, UUID id) {
    List<Message> found = await().alias(count + " job message(s)").atMost(WAIT).pollInterval(Duration.ofMillis(50))
        .until(() -> id == null ? List.copyOf(drain()) : jobMessages(id), messages -> messages.size() >= count);
    seen.removeAll(found);
    return found;
  }

  private List<Message> jobMessages(UUID id) throws Exception {
    drain();
    return seen.stream().filter(m -> id.toString().equals(m.body().path("jobId").asText())).toList();
  }

  /** Takes what the worker's queue holds into {@link #seen}. */
  private List<Message> drain() throws Exception {
    GetResponse response;
    while ((response = channel.basicGet(Topology.WORKER_QUEUE, true)) != null) {
      Map<String, String> headers = new java.util.HashMap<>();
      if (response.getProps().getHeaders() != null) {
        response.getProps().getHeaders().forEach((k, v) -> headers.put(k, String.valueOf(v)));
      }
      seen.add(new Message(Json.MESSAGES.readTree(response.getBody()), headers));
    }
    return seen;
  }

  private HttpRequest submit(String user) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/conversions"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + AUTH.token(user))
        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://audio.example.com/a.wav\"}"))
        .build();
  }

  private static void rabbitmqctl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
