package com.mp3converter.gateway;

import static com.mp3converter.gateway.GatewayRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.TestSecrets;
import com.mp3converter.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway with its broker and its object store down from the start (both point at closed ports), and auth
 * going away mid-run: it starts anyway, keeps serving what does not need them, and answers 503 where they are
 * needed, never a 202 for a job that went nowhere.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=gateway", "management.server.port=0"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayOutagesTest {
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final String DATABASE = TestDatabase.create("gateway");
  static final int CLOSED_BROKER_PORT = closedPort();
  static final int CLOSED_S3_PORT = closedPort();
  static final String INTERNAL_TOKEN = TestSecrets.token();

  @LocalServerPort
  int port;

  @Autowired
  JdbcTemplate jdbc;

  final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("MP3_S3_ACCESS_KEY", () -> "gateway");
    registry.add("MP3_S3_SECRET_KEY", () -> TestSecrets.hex(24));
    registry.add("MP3_AUTH_URL", AUTH::url);
    registry.add("SPRING_RABBITMQ_PORT", () -> CLOSED_BROKER_PORT);
    registry.add("MP3_S3_ENDPOINT", () -> "http://127.0.0.1:" + CLOSED_S3_PORT);
    registry.add("MP3_INTERNAL_TOKEN", () -> INTERNAL_TOKEN);
    registry.add("MP3_AMQP_CONFIRM_TIMEOUT_MS", () -> 2000);
  }

  @AfterAll
  static void stopAuth() {
    AUTH.close();
  }

  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(1)
  void aJobTheBrokerCannotTakeIs503AndRecordedAsFailed() throws Exception {
    String user = UUID.randomUUID().toString();
    HttpResponse<String> refused = send(post("/conversions", "{\"url\":\"https://audio.example.com/a.wav\"}",
        "Bearer " + AUTH.token(user)));
    assertProblem(refused, 503, "/problems/broker-unavailable");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();

    // The row says what happened instead of claiming a queued job nobody will ever run.
    JsonNode list = Json.MESSAGES.readTree(send(get("/conversions", "Bearer " + AUTH.token(user))).body());
    assertThat(list.get("items")).hasSize(1);
    JsonNode job = list.get("items").get(0);
    assertThat(job.get("status").asText()).isEqualTo("failed");
    assertThat(job.get("error").get("reason").asText()).isEqualTo("broker_unavailable");
  }

  @Test
  @Order(2)
  void downloadsWithTheObjectStoreDownAre503() throws Exception {
    UUID user = UUID.randomUUID();
    UUID job = UUID.randomUUID();
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.update("INSERT INTO conversions (id, user_id, source_url, bitrate, status, bytes, "
        + "duration_seconds, created_at, updated_at) VALUES (?, ?, ?, '192k', 'completed', 3, 1.0, ?, ?)",
        job, user, "https://audio.example.com/a.wav", now, now);

    HttpResponse<String> link = send(post("/internal/download-links", "{\"conversionId\":\"" + job + "\"}",
        "Bearer " + INTERNAL_TOKEN));
    assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
    String url = Json.MESSAGES.readTree(link.body()).get("url").asText();

    HttpResponse<String> download = send(get(URI.create(url).getPath(), null));
    assertProblem(download, 503, "/problems/storage-unavailable");
  }

  @Test
  @Order(3)
  void authGoneIs503WhileCachedKeysStillVerifyTokens() throws Exception {
    String bearer = "Bearer " + AUTH.token(UUID.randomUUID().toString());
    assertThat(send(get("/conversions", bearer)).statusCode()).isEqualTo(200);

    AUTH.close();
    HttpResponse<String> login = send(post("/auth/login", "{\"email\":\"a@example.com\",\"password\":\"x\"}", null));
    assertProblem(login, 503, "/problems/auth-unavailable");
    assertThat(send(get("/conversions", bearer)).statusCode()).isEqualTo(200);
  }

  private HttpRequest post(String path, String body, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  private HttpRequest get(String path, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
