package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Auth on its real routes with a fresh PostgreSQL database and a RabbitMQ virtual host of the test class's own,
 * where its outbox relay publishes the account emails ({@link AccountMail}): the tests of the emailed links.
 */
@CamelSpringBootTest
@DirtiesContext
@SpringBootTest(
    classes = AuthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=auth",
      "management.server.port=0",
      "mp3.auth.public-url=https://mp3.example.org/",
      "mp3.auth.outbox.poll-interval=100",
      "mp3.auth.register-throttle.client-limit=1000",
      "mp3.auth.reset-throttle.client-limit=1000"
    })
abstract class AccountTestSupport {
  static final String PASSWORD = "s3cret-pass";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();

  @DynamicPropertySource
  static void configure(DynamicPropertyRegistry registry) {
    String url = TestDatabase.create("auth");
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
  }

  @LocalServerPort int port;

  @Autowired JdbcTemplate jdbc;

  final AccountMail mail = new AccountMail(RABBIT);

  /** Registers a new address and returns it; its verification email is on its way. */
  String register() throws Exception {
    String email = "acct-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    assertThat(post("/register", Map.of("email", email, "password", PASSWORD, "name", "Acct")).statusCode())
        .isEqualTo(202);
    return email;
  }

  HttpResponse<String> post(String path, Object body) throws Exception {
    return postJson(path, body instanceof String s ? s : Json.MESSAGES.writeValueAsString(body));
  }

  HttpResponse<String> postJson(String path, String json) throws Exception {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .header("X-Forwarded-For", nextAddress())
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> login(String email, String password) throws Exception {
    return post("/login", Map.of("email", email, "password", password));
  }

  String accessToken(String email, String password) throws Exception {
    HttpResponse<String> response = login(email, password);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.MESSAGES.readTree(response.body()).get("access_token").asText();
  }

  /** The claims of an access token, read without checking it (auth's own tests check signatures elsewhere). */
  static JsonNode claims(String accessToken) throws Exception {
    String payload = accessToken.split("\\.")[1];
    return Json.MESSAGES.readTree(java.util.Base64.getUrlDecoder().decode(payload));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  static Problem problemOf(HttpResponse<String> response, int status, String slug) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith(Problem.MEDIA_TYPE));
    Problem problem = Json.MESSAGES.readValue(response.body(), Problem.class);
    assertThat(problem.status()).isEqualTo(status);
    assertThat(problem.type()).isEqualTo("/problems/" + slug);
    assertThat(problem.detail()).isNotBlank().doesNotContain("Exception", "\tat ", "java.", "SQL");
    return problem;
  }

  /** Every request its own client address, so no test trips another's per-address limit. */
  static String nextAddress() {
    int n = ADDRESSES.getAndIncrement();
    return "203.0." + (n / 250) + "." + (n % 250 + 1);
  }
}
