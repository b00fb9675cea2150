package com.mp3converter.gateway;

import static com.mp3converter.gateway.GatewayRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.testing.Rabbit;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
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
 * The intake's concurrency limit (the bulkhead gateway-intake-limit, docs/reliability.md "Load shedding"): with
 * two jobs held in the middle of their publish (the broker's confirms held back by a {@link BrokerRelay}), a
 * burst is refused at once with 503 problems and Retry-After, nothing of it stored; once the held jobs finish,
 * new jobs are accepted again without a restart. Real PostgreSQL and RabbitMQ. Functional, not timed.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=gateway",
      "management.server.port=0",
      "mp3.intake.max-concurrent=2",
      "mp3.intake.max-wait-ms=0",
      // Held jobs wait for their confirm; it must not time out while the test holds them.
      "mp3.amqp.confirm-timeout-ms=30000"
    })
@DirtiesContext
class IntakeLoadSheddingTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final String DATABASE = TestDatabase.create("gateway_load_shedding");
  static final BrokerRelay RELAY = relay();
  static final int BURST = 6;

  @LocalServerPort
  int port;

  @Autowired
  JdbcTemplate jdbc;

  final HttpClient http = HttpClient.newHttpClient();

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

  @Test
  void aBurstPastTheIntakeLimitIsShedWith503AndTheGatewayRecovers() throws Exception {
    assertThat(submit().statusCode()).as("before the burst").isEqualTo(202);

    RELAY.holdBrokerReplies();
    List<CompletableFuture<HttpResponse<String>>> held = IntStream.range(0, 2)
        .mapToObj(i -> http.sendAsync(request(UUID.randomUUID().toString()), HttpResponse.BodyHandlers.ofString()))
        .toList();
    // Both are inside the limit once their rows are stored (the insert is the limit's first step).
    await().atMost(Duration.ofSeconds(20)).until(
        () -> jdbc.queryForObject("SELECT count(*) FROM conversions", Integer.class) == 3);

    List<CompletableFuture<HttpResponse<String>>> burst = IntStream.range(0, BURST)
        .mapToObj(i -> http.sendAsync(request(UUID.randomUUID().toString()), HttpResponse.BodyHandlers.ofString()))
        .toList();
    for (CompletableFuture<HttpResponse<String>> answer : burst) {
      HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
      assertProblem(response, 503, "/problems/overloaded");
      assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    }
    assertThat(jdbc.queryForObject("SELECT count(*) FROM conversions", Integer.class))
        .as("nothing of the burst stored").isEqualTo(3);

    RELAY.release();
    for (CompletableFuture<HttpResponse<String>> answer : held) {
      assertThat(answer.get(20, TimeUnit.SECONDS).statusCode()).as("held, then confirmed").isEqualTo(202);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(submit().statusCode()).as("after the burst, no restart").isEqualTo(202);
    }
  }

  private HttpResponse<String> submit() throws Exception {
    return http.send(request(UUID.randomUUID().toString()), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String user) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/conversions"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + AUTH.token(user))
        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://audio.example.com/a.wav\"}"))
        .build();
  }
}
