package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import com.mp3converter.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Floods of registrations and logins against auth's real routes and a fresh PostgreSQL database: each client
 * address has a registration budget, at most one Argon2 hash runs and one waits here (the pool is shrunk to make
 * a burst bigger than it cheap), anything past that is a 503 at once, and failures from one address never lock
 * an account's owner out.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = AuthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=auth",
      "management.server.port=0",
      "mp3.auth.password-hashing.threads=1",
      "mp3.auth.password-hashing.queue=1",
      "mp3.auth.register-throttle.client-limit=3"
    })
class RegisterAndLoginFloodHostileInputTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger ADDRESSES = new AtomicInteger(1);
  private static final String PASSWORD = "s3cret-pass";

  @DynamicPropertySource
  static void configure(DynamicPropertyRegistry registry) {
    String url = TestDatabase.create("auth");
    registry.add("spring.datasource.url", () -> url);
  }

  @LocalServerPort int port;

  @Autowired HashingPool hashingPool;

  @Autowired JdbcTemplate jdbc;

  @Test
  void aClientPastItsRegistrationLimitIsRefusedWith429AndNothingIsStored() throws Exception {
    String address = nextAddress();
    for (int i = 0; i < 3; i++) {
      assertThat(register(unique("budget"), address).statusCode()).isEqualTo(202);
    }

    String refused = unique("budget");
    HttpResponse<String> fourth = register(refused, address);

    assertProblem(fourth, 429, "too-many-requests");
    assertThat(fourth.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 3600L));
    assertThat(storedUsers(List.of(refused))).isZero();
    // Another address has its own budget.
    assertThat(register(refused, nextAddress()).statusCode()).isEqualTo(202);
  }

  @Test
  void aBurstBiggerThanTheHashingPoolIsRefusedWith503AndCostsNothing() throws Exception {
    String owner = unique("owner");
    assertThat(register(owner, nextAddress()).statusCode()).isEqualTo(202);
    String registeringAddress = nextAddress();
    String guessingAddress = nextAddress();

    List<HttpResponse<String>> answers;
    List<String> burstEmails = new ArrayList<>();
    ExecutorService holders = Executors.newFixedThreadPool(2);
    CountDownLatch release = new CountDownLatch(1);
    try {
      // The pool's one thread and one queue place, taken: every hash from here on finds the pool full.
      // One at a time: a second holder sent while the first still waits in the queue (the thread finishing the
      // owner's hash, slow on a loaded machine) would find the pool full and be refused.
      List<Future<Object>> held = new ArrayList<>();
      held.add(holders.submit(() -> hashingPool.run(() -> awaitQuietly(release))));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(List.of(hashingPool.running(), hashingPool.queued())).containsExactly(1, 0));
      held.add(holders.submit(() -> hashingPool.run(() -> awaitQuietly(release))));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(List.of(hashingPool.running(), hashingPool.queued())).containsExactly(1, 1));

      // Ten registrations from one address and ten wrong passwords for the owner from one address, at once:
      // both more than the address's registration budget (3) and the account's failure limit (5).
      List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String email = unique("burst");
        burstEmails.add(email);
        burst.add(HTTP.sendAsync(registration(email, registeringAddress), HttpResponse.BodyHandlers.ofString()));
        burst.add(HTTP.sendAsync(login(owner, "wrong-" + i, guessingAddress), HttpResponse.BodyHandlers.ofString()));
      }
      answers = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> answer : burst) {
        answers.add(answer.get(20, TimeUnit.SECONDS));
      }
      assertThat(hashingPool.running()).isEqualTo(1);

      release.countDown();
      for (Future<Object> h : held) {
        h.get(10, TimeUnit.SECONDS);
      }
    } finally {
      release.countDown();
      holders.shutdownNow();
    }

    // Each attempt is taken from the throttle before its hash: those beyond the limit while the others were in
    // flight were refused with 429 at once, the rest found the pool full; every answer has its Retry-After.
    int busy = 0;
    for (HttpResponse<String> answer : answers) {
      assertThat(answer.statusCode()).as(answer.body()).isIn(429, 503);
      assertProblem(answer, answer.statusCode(),
          answer.statusCode() == 503 ? "password-hashing-busy" : "too-many-requests");
      assertThat(answer.headers().firstValue("Retry-After")).isPresent();
      busy += answer.statusCode() == 503 ? 1 : 0;
    }
    assertThat(busy).isPositive();
    assertThat(storedUsers(burstEmails)).isZero();
    // Refused requests counted neither as registrations nor as failed logins.
    assertThat(register(unique("after"), registeringAddress).statusCode()).isEqualTo(202);
    assertThat(send(login(owner, PASSWORD, guessingAddress)).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnheldBurstIsAnsweredCreatedOrBusyAndNeverWithAnError() throws Exception {
    List<String> emails = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String email = unique("contended");
      emails.add(email);
      burst.add(HTTP.sendAsync(registration(email, nextAddress()), HttpResponse.BodyHandlers.ofString()));
    }
    int created = 0;
    for (CompletableFuture<HttpResponse<String>> future : burst) {
      HttpResponse<String> answer = future.get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isIn(202, 503);
      if (answer.statusCode() == 202) {
        created++;
      } else {
        assertProblem(answer, 503, "password-hashing-busy");
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
      }
    }

    assertThat(created).isPositive();
    assertThat(storedUsers(emails)).isEqualTo(created);
  }

  @Test
  void failuresFromOneAddressDoNotLockTheOwnerOut() throws Exception {
    String owner = unique("owner");
    assertThat(register(owner, nextAddress()).statusCode()).isEqualTo(202);
    String attacker = nextAddress();
    for (int i = 0; i < 5; i++) {
      assertThat(send(login(owner, "guess-" + i, attacker)).statusCode()).isEqualTo(401);
    }
    assertProblem(send(login(owner, PASSWORD, attacker)), 429, "too-many-requests");

    HttpResponse<String> ownersLogin = send(login(owner, PASSWORD, nextAddress()));

    assertThat(ownersLogin.statusCode()).as(ownersLogin.body()).isEqualTo(200);
    assertThat(Json.MESSAGES.readTree(ownersLogin.body()).get("access_token").asText()).isNotBlank();
    // The owner's success does not lift the attacker's throttle.
    assertProblem(send(login(owner, "guess-5", attacker)), 429, "too-many-requests");
  }

  private static Object awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private int storedUsers(List<String> emails) {
    return jdbc.queryForObject("SELECT count(*) FROM users WHERE email = ANY (?)", Integer.class,
        (Object) emails.stream().map(String::toLowerCase).toArray(String[]::new));
  }

  private static void assertProblem(HttpResponse<String> response, int status, String slug) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith(Problem.MEDIA_TYPE));
    Problem problem = Json.MESSAGES.readValue(response.body(), Problem.class);
    assertThat(problem.status()).isEqualTo(status);
    assertThat(problem.type()).isEqualTo("/problems/" + slug);
    assertThat(response.body()).doesNotContain("Exception", "\tat ");
  }

  private HttpResponse<String> register(String email, String address) throws Exception {
    return send(registration(email, address));
  }

  private HttpRequest registration(String email, String address) throws Exception {
    return post("/register", Map.of("email", email, "password", PASSWORD, "name", "Flood"), address);
  }

  private HttpRequest login(String email, String password, String address) throws Exception {
    return post("/login", Map.of("email", email, "password", password), address);
  }

  private HttpRequest post(String path, Map<String, String> body, String address) throws Exception {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .header("X-Forwarded-For", address)
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(Json.MESSAGES.writeValueAsString(body)))
        .build();
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  /** Every case its own client addresses, so no case uses up another's budget. */
  private static String nextAddress() {
    int n = ADDRESSES.getAndIncrement();
    return "192.0.2." + n;
  }
}
