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
 * The request threads' queue is bounded (MP3_REQUEST_THREADS, MP3_REQUEST_QUEUE; docs/reliability.md "Load
 * shedding"): with both threads busy (one job held in its publish by a {@link BrokerRelay}, one waiting for the
 * intake limit) and the one queue place taken, further requests are refused before any route runs, as 503
 * problems with Retry-After (OverloadProblems), not 500s; once released, the waiting ones and new ones succeed.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=gateway",
      "management.server.port=0",
      "spring.task.execution.pool.core-size=2",
      "spring.task.execution.pool.max-size=2",
      "spring.task.execution.pool.queue-capacity=1",
      "mp3.intake.max-concurrent=1",
      "mp3.intake.max-wait-ms=30000",
      "mp3.auth-calls.max-concurrent=1",
      "mp3.amqp.confirm-timeout-ms=30000"
    })
@DirtiesContext
class RequestQueueSheddingTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final String DATABASE = TestDatabase.create("gateway_request_queue");
  static final BrokerRelay RELAY = relay();

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
  void aRequestPastTheRequestQueueIs503AtOnceAndTheGatewayRecovers() throws Exception {
    assertThat(send(request()).statusCode()).as("before").isEqualTo(202);

    RELAY.holdBrokerReplies();
    CompletableFuture<HttpResponse<String>> held = http.sendAsync(request(), HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(20)).until(() -> rows() == 2);
    // With the first thread held: of five more, one takes the second thread (and waits for the intake limit),
    // one waits in the queue, and three find no place at all.
    List<CompletableFuture<HttpResponse<String>>> burst = IntStream.range(0, 5)
        .mapToObj(i -> http.sendAsync(request(), HttpResponse.BodyHandlers.ofString())).toList();
    await().atMost(Duration.ofSeconds(20)).until(() -> burst.stream().filter(CompletableFuture::isDone).count() == 3);
    for (CompletableFuture<HttpResponse<String>> answer : burst.stream().filter(CompletableFuture::isDone).toList()) {
      assertProblem(answer.get(), 503, "/problems/overloaded");
      assertThat(answer.get().headers().firstValue("Retry-After")).hasValue("1");
    }
    assertThat(held).isNotDone();

    RELAY.release();
    assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    for (CompletableFuture<HttpResponse<String>> answer : burst) {
      assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isIn(202, 503);
    }
    assertThat(burst.stream().filter(answer -> answer.join().statusCode() == 202).count())
        .as("the two that had a place").isEqualTo(2);
    assertThat(send(request()).statusCode()).as("after, no restart").isEqualTo(202);
  }

  private int rows() {
    return jdbc.queryForObject("SELECT count(*) FROM conversions", Integer.class);
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request() {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/conversions"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + AUTH.token(UUID.randomUUID().toString()))
        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://audio.example.com/a.wav\"}"))
        .build();
  }
}
