package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.json.Json;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An attacker who spreads guesses or registrations over auth's replicas, or waits for a restart, gets no more
 * than one replica would give: two real auth applications share one PostgreSQL database, as in a deployment with
 * two replicas, and a third replaces one of them ("a restart").
 */
class ThrottleAcrossReplicasHostileInputTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger ADDRESSES = new AtomicInteger(1);
  private static final String PASSWORD = "s3cret-pass";
  private static final int ACCOUNT_LIMIT = 5;
  private static final int REGISTER_LIMIT = 3;

  private static String databaseUrl;
  private static ConfigurableApplicationContext replicaA;
  private static ConfigurableApplicationContext replicaB;

  @BeforeAll
  static void startTwoReplicas() {
    databaseUrl = TestDatabase.create("auth");
    replicaA = startReplica();
    replicaB = startReplica();
  }

  @AfterAll
  static void stopReplicas() {
    for (ConfigurableApplicationContext replica : new ConfigurableApplicationContext[] {replicaA, replicaB}) {
      if (replica != null) {
        replica.close();
      }
    }
  }

  @Test
  void failuresSpreadOverTwoReplicasUseOneLimit() throws Exception {
    String owner = register(replicaA, unique("spread"), nextAddress());
    String attacker = nextAddress();
    for (int i = 0; i < ACCOUNT_LIMIT; i++) {
      ConfigurableApplicationContext replica = i % 2 == 0 ? replicaA : replicaB;
      assertThat(login(replica, owner, "guess-" + i, attacker).statusCode()).isEqualTo(401);
    }

    assertThat(login(replicaA, owner, PASSWORD, attacker).statusCode()).isEqualTo(429);
    assertThat(login(replicaB, owner, PASSWORD, attacker).statusCode()).isEqualTo(429);
    // The owner, from an address that did not fail, logs in on either replica.
    assertThat(login(replicaB, owner, PASSWORD, nextAddress()).statusCode()).isEqualTo(200);
    assertThat(login(replicaA, owner, PASSWORD, nextAddress()).statusCode()).isEqualTo(200);
  }

  @Test
  void aRestartedReplicaStillRefuses() throws Exception {
    String owner = register(replicaB, unique("restart"), nextAddress());
    String attacker = nextAddress();
    for (int i = 0; i < ACCOUNT_LIMIT; i++) {
      assertThat(login(replicaA, owner, "guess-" + i, attacker).statusCode()).isEqualTo(401);
    }
    String registrant = nextAddress();
    for (int i = 0; i < REGISTER_LIMIT; i++) {
      register(replicaA, unique("before-restart"), registrant);
    }

    replicaA.close();
    replicaA = startReplica();

    assertThat(login(replicaA, owner, PASSWORD, attacker).statusCode()).isEqualTo(429);
    assertThat(registration(replicaA, unique("after-restart"), registrant).statusCode()).isEqualTo(429);
    assertThat(login(replicaA, owner, PASSWORD, nextAddress()).statusCode()).isEqualTo(200);
  }

  @Test
  void registrationsSpreadOverTwoReplicasUseOneLimit() throws Exception {
    String address = nextAddress();
    for (int i = 0; i < REGISTER_LIMIT; i++) {
      register(i % 2 == 0 ? replicaA : replicaB, unique("budget"), address);
    }

    HttpResponse<String> refused = registration(replicaB, unique("budget"), address);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(registration(replicaA, unique("budget"), address).statusCode()).isEqualTo(429);
  }

  @Test
  void parallelGuessesOverBothReplicasNeverExceedTheLimit() throws Exception {
    String owner = register(replicaA, unique("race"), nextAddress());
    String attacker = nextAddress();
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    // Within what both hashing pools take at once (threads plus queue), so none is turned away with a 503.
    for (int i = 0; i < 8; i++) {
      burst.add(HTTP.sendAsync(loginRequest(replicaA, owner, "guess-a" + i, attacker), BODY));
      burst.add(HTTP.sendAsync(loginRequest(replicaB, owner, "guess-b" + i, attacker), BODY));
    }

    int verified = 0;
    for (CompletableFuture<HttpResponse<String>> answer : burst) {
      HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.body()).isIn(401, 429, 503);
      if (response.statusCode() == 401) {
        verified++;
      }
    }

    // Each 401 is a password tried; however the requests interleave, no more than the limit were tried.
    assertThat(verified).isBetween(1, ACCOUNT_LIMIT);
    assertThat(login(replicaB, owner, PASSWORD, attacker).statusCode()).isEqualTo(429);
    assertThat(login(replicaA, owner, PASSWORD, nextAddress()).statusCode()).isEqualTo(200);
  }

  private static final HttpResponse.BodyHandler<String> BODY = HttpResponse.BodyHandlers.ofString();

  private static ConfigurableApplicationContext startReplica() {
    return AuthApplication.application().run(
        "--server.port=0",
        "--management.server.port=0",
        "--spring.datasource.url=" + databaseUrl,
        "--mp3.auth.register-throttle.client-limit=" + REGISTER_LIMIT,
        "--mp3.auth.password-hashing.queue=8");
  }

  private static String register(ConfigurableApplicationContext replica, String email, String address)
      throws Exception {
    HttpResponse<String> answer = registration(replica, email, address);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return email;
  }

  private static HttpResponse<String> registration(
      ConfigurableApplicationContext replica, String email, String address) throws Exception {
    return HTTP.send(post(replica, "/register", Map.of("email", email, "password", PASSWORD, "name", "Rep"),
        address), BODY);
  }

  private static HttpResponse<String> login(
      ConfigurableApplicationContext replica, String email, String password, String address) throws Exception {
    return HTTP.send(loginRequest(replica, email, password, address), BODY);
  }

  private static HttpRequest loginRequest(
      ConfigurableApplicationContext replica, String email, String password, String address) throws Exception {
    return post(replica, "/login", Map.of("email", email, "password", password), address);
  }

  private static HttpRequest post(
      ConfigurableApplicationContext replica, String path, Map<String, String> body, String address)
      throws Exception {
    String port = replica.getEnvironment().getProperty("local.server.port");
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .header("X-Forwarded-For", address)
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(Json.MESSAGES.writeValueAsString(body)))
        .build();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  private static String nextAddress() {
    return "198.51.100." + ADDRESSES.getAndIncrement();
  }
}
