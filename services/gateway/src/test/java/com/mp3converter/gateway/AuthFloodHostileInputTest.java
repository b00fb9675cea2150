package com.mp3converter.gateway;

import static com.mp3converter.gateway.GatewayRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.mp3converter.testing.TestSecrets;
import com.mp3converter.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An attacker's login flood through the gateway: 50 wrong logins at once, against an auth that throttles them
 * (429 with a 15-minute Retry-After) and against one that hangs. The logins are refused at once (auth's 429 as
 * it is, or a 503 when the calls to auth are full or too slow), never retried, and the rest of the API keeps
 * answering within a second while they are refused.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=gateway", "management.server.port=0"})
// The hanging auth is left holding requests it never answers; it runs last.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthFloodHostileInputTest {
  static final int LOGINS = 50;
  static final Duration API_BUDGET = Duration.ofSeconds(1);
  static final Duration AUTH_CALL_TIMEOUT = Duration.ofSeconds(2);
  static final int MAX_CONCURRENT_AUTH_CALLS = 4;

  static final AuthStandIn AUTH = AuthStandIn.start();
  static final String DATABASE = TestDatabase.create("gateway");
  static final int CLOSED_S3_PORT = closedPort();

  @LocalServerPort
  int port;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("MP3_S3_ACCESS_KEY", () -> "gateway");
    registry.add("MP3_S3_SECRET_KEY", () -> TestSecrets.hex(24));
    registry.add("MP3_INTERNAL_TOKEN", TestSecrets::token);
    registry.add("MP3_AUTH_URL", AUTH::url);
    // Nothing here downloads; the object store is down.
    registry.add("MP3_S3_ENDPOINT", () -> "http://127.0.0.1:" + CLOSED_S3_PORT);
    registry.add("MP3_AUTH_CALL_TIMEOUT", () -> AUTH_CALL_TIMEOUT.toMillis() + "ms");
    registry.add("MP3_AUTH_MAX_CONCURRENT_CALLS", () -> MAX_CONCURRENT_AUTH_CALLS);
  }

  @AfterAll
  static void stopAuth() {
    AUTH.close();
  }

  @BeforeEach
  void forgetRequests() {
    AUTH.received.clear();
  }

  @Test
  @Order(1)
  void fiftyWrongLoginsAgainstAThrottlingAuthArePassedOnOnceWhileTheApiAnswers() throws Exception {
    String bearer = "Bearer " + AUTH.token(UUID.randomUUID().toString());
    assertThat(send(get("/conversions", bearer)).statusCode()).as("warm-up").isEqualTo(200);
    assertThat(send(post("/auth/login", "{\"email\":\"victim@example.com\",\"password\":\"warm-up\"}"))
        .statusCode()).as("warm-up").isEqualTo(429);
    AUTH.received.clear();
    AUTH.throttleLoginsFor("900");

    List<CompletableFuture<HttpResponse<String>>> logins = wrongLogins();
    await().atMost(Duration.ofSeconds(10)).until(() -> AUTH.loginsReceived() > 0);
    assertApiAnswersInTime(bearer, "throttling");

    List<HttpResponse<String>> answers = answered(logins, Duration.ofSeconds(20));
    long throttled = 0;
    for (HttpResponse<String> answer : answers) {
      if (answer.statusCode() == 429) {
        // auth's answer as it is: its Retry-After, its problem body
        throttled++;
        assertThat(answer.headers().firstValue("Retry-After")).contains("900");
        assertThat(answer.headers().firstValue("Content-Type"))
            .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(answer.body()).contains("/problems/too-many-requests");
      } else {
        // more logins at once than the gateway sends to auth: refused without asking auth
        assertBusy(answer);
      }
    }
    assertThat(throttled).as("logins auth answered").isPositive();
    // One request to auth per 429 passed on: nothing was sent twice.
    assertThat(AUTH.loginsReceived()).isEqualTo(throttled);
  }

  @Test
  @Order(2)
  void fiftyWrongLoginsAgainstAHangingAuthAreCutOffWhileTheApiAnswers() throws Exception {
    String bearer = "Bearer " + AUTH.token(UUID.randomUUID().toString());
    assertThat(send(get("/conversions", bearer)).statusCode()).as("warm-up").isEqualTo(200);
    AUTH.holdLogins();
    try {
      List<CompletableFuture<HttpResponse<String>>> logins = wrongLogins();
      await().atMost(Duration.ofSeconds(10)).until(() -> AUTH.loginsReceived() > 0);
      assertApiAnswersInTime(bearer, "hanging");

      // The stand-in would hold them for a minute: each is cut off by the time limit on a call to auth (the
      // margin is for a busy machine).
      List<HttpResponse<String>> answers = answered(logins, AUTH_CALL_TIMEOUT.plusSeconds(15));
      for (HttpResponse<String> answer : answers) {
        assertBusy(answer);
      }
      // Only as many logins reached auth as the gateway lets wait on it at once.
      assertThat(AUTH.loginsReceived()).isBetween(1L, (long) MAX_CONCURRENT_AUTH_CALLS);
    } finally {
      AUTH.answerHeldLogins();
    }
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private List<CompletableFuture<HttpResponse<String>>> wrongLogins() {
    return IntStream.range(0, LOGINS)
        .mapToObj(i -> http.sendAsync(
            post("/auth/login", "{\"email\":\"victim@example.com\",\"password\":\"wrong-" + i + "\"}"),
            HttpResponse.BodyHandlers.ofString()))
        .toList();
  }

  /** The logins are still being refused: the list of the caller's jobs must come back within the budget. */
  private void assertApiAnswersInTime(String bearer, String auth) throws Exception {
    HttpRequest list = HttpRequest.newBuilder(uri("/conversions")).header("Authorization", bearer)
        .timeout(API_BUDGET).GET().build();
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = http.send(list, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    } catch (HttpTimeoutException stalled) {
      fail("GET /conversions did not answer within " + API_BUDGET.toMillis() + " ms during " + LOGINS
          + " refused logins");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isLessThan(API_BUDGET);
    System.out.printf("[hostile-input] GET /conversions answered in %d ms during %d wrong logins against a %s auth%n",
        took.toMillis(), LOGINS, auth);
  }

  private static List<HttpResponse<String>> answered(List<CompletableFuture<HttpResponse<String>>> logins,
      Duration within) throws Exception {
    CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(within.toMillis(), TimeUnit.MILLISECONDS);
    return logins.stream().map(CompletableFuture::join).toList();
  }

  private static void assertBusy(HttpResponse<String> answer) throws IOException {
    assertProblem(answer, 503, "/problems/auth-unavailable");
    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private HttpRequest get(String path, String authorization) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).GET().build();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
