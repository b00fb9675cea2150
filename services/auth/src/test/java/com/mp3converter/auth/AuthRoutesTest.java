package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenVerifier;
import com.mp3converter.shared.token.Ed25519Jwk;
import com.mp3converter.shared.token.RemoteJwks;
import com.mp3converter.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Drives auth over HTTP, on its real routes, against a fresh PostgreSQL database. */
@CamelSpringBootTest
// Spring Boot tests turn metrics export off by default; the Prometheus endpoint is part of what is checked here.
@AutoConfigureObservability(tracing = false)
@SpringBootTest(
    classes = AuthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=auth",
      "management.server.port=0",
      // Fewer failures per address than in production keeps the throttling test short.
      "mp3.auth.login-throttle.client-limit=8",
      // Every registration here comes from this machine's address; RegisterAndLoginFloodHostileInputTest checks
      // the per-address limit.
      "mp3.auth.register-throttle.client-limit=1000"
    })
class AuthRoutesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

  /** The key auth signs with, from a PEM file as in production; and one earlier key still published. */
  private static final KeyPair CURRENT_KEY = ed25519();
  private static final KeyPair PREVIOUS_KEY = ed25519();

  @DynamicPropertySource
  static void configure(DynamicPropertyRegistry registry) throws Exception {
    String url = TestDatabase.create("auth");
    registry.add("spring.datasource.url", () -> url);
    Path keys = Files.createTempDirectory("auth-keys");
    keys.toFile().deleteOnExit();
    Path signing = Files.writeString(keys.resolve("signing.pem"), pem("PRIVATE KEY", CURRENT_KEY.getPrivate()));
    Path previous = Files.writeString(keys.resolve("previous.pem"), pem("PUBLIC KEY", PREVIOUS_KEY.getPublic()));
    signing.toFile().deleteOnExit();
    previous.toFile().deleteOnExit();
    registry.add("mp3.auth.signing-key-file", signing::toString);
    registry.add("mp3.auth.previous-public-keys-file", previous::toString);
  }

  @LocalServerPort int port;

  @LocalManagementPort int managementPort;

  @Autowired JdbcTemplate jdbc;

  @Autowired Users users;

  @Test
  void registersAUserWithANormalisedEmailAndAnArgon2idHash() throws Exception {
    String email = unique("Reg");
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/register"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer secret-that-must-not-echo")
        .header("X-Custom", "also-not-echoed")
        .POST(HttpRequest.BodyPublishers.ofString(register("  " + email.toUpperCase() + " ", "s3cret-pass", " Ann "))));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(response.body()).isEqualTo("{\"status\":\"verification_sent\"}");
    assertThat(response.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization")
        || h.equalsIgnoreCase("X-Custom") || h.equalsIgnoreCase("userId") || h.equalsIgnoreCase("passwordHash"));

    String name = jdbc.queryForObject("SELECT name FROM users WHERE email = ?", String.class, email.toLowerCase());
    String hash = jdbc.queryForObject("SELECT password_hash FROM users WHERE email = ?", String.class,
        email.toLowerCase());
    assertThat(name).isEqualTo("Ann");
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(users.findByEmail(email.toLowerCase())).hasValueSatisfying(user -> {
      assertThat(user.emailVerified()).isFalse();
      assertThat(user.toString()).doesNotContain("argon2id");
    });
  }

  @Test
  void aTakenEmailGetsTheSameAnswerWhateverItsCaseAndStaysOneAccount() throws Exception {
    String email = unique("dup");
    HttpResponse<String> first = post("/register", register(email, "s3cret-pass", "First"));
    assertThat(first.statusCode()).isEqualTo(202);

    for (String again : List.of(email, email.toUpperCase(), "  " + email + "  ")) {
      HttpResponse<String> response = post("/register", register(again, "other-pass", "Second"));
      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(response.body()).isEqualTo(first.body());
    }
    assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE lower(email) = ?", Integer.class, email))
        .isEqualTo(1);
    assertThat(jdbc.queryForObject("SELECT name FROM users WHERE lower(email) = ?", String.class, email))
        .isEqualTo("First");
  }

  @Test
  void concurrentRegistrationsOfOneEmailCreateOneUser() throws Exception {
    String email = unique("race");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> attempts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        attempts.add(() -> post("/register", register(email, "s3cret-pass", "Racer")).statusCode());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(attempts)) {
        statuses.add(f.get());
      }
      assertThat(statuses).containsOnly(202);
      assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE lower(email) = ?", Integer.class,
          email.toLowerCase())).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void invalidRegistrationsAreBadRequestsWithProblemDetails() throws Exception {
    String email = unique("bad");
    List<String> bodies = List.of(
        register("not-an-email", "s3cret-pass", "Ann"),
        register(email, "short", "Ann"),
        register(email, "x".repeat(129), "Ann"),
        register(email, "s3cret-pass", ""),
        register(email, "s3cret-pass", "n".repeat(101)),
        "{\"email\":\"" + email + "\",\"password\":\"s3cret-pass\"}",
        "{\"email\":\"" + email + "\",\"password\":\"s3cret-pass\",\"name\":\"Ann\",\"role\":\"admin\"}",
        "{\"email\":\"" + email + "\",\"password\":12345678,\"name\":\"Ann\"}",
        "{\"email\":\"" + email + "\",\"password\":\"s3cret-pass\",\"name\":{\"first\":\"Ann\"}}",
        "{\"email\":",
        "",
        "[]");
    for (String body : bodies) {
      Problem problem = problemOf(post("/register", body), 400);
      assertThat(problem.detail()).as(body).isNotBlank().doesNotContain("com.fasterxml", "Exception", "\tat ", "java.");
    }
    assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE email = ?", Integer.class, email)).isZero();
  }

  @Test
  void problemDetailsNameWhatIsWrong() throws Exception {
    assertThat(problemOf(post("/register", "{\"email\":\"a@example.com\",\"password\":\"s3cret-pass\",\"name\":\"A\",\"x\":1}"), 400)
        .detail()).isEqualTo("Unknown field 'x'.");
    assertThat(problemOf(post("/register", register("nope", "short", "Ann")), 400).detail())
        .contains("'email' is not a valid email address", "'password' must have 8 to 128 characters");
  }

  @Test
  void aLoginGivesATokenTheGatewayWouldAcceptWithKeysFromTheJwks() throws Exception {
    String email = unique("login");
    post("/register", register(email, "s3cret-pass", "Lou"));
    String id = jdbc.queryForObject("SELECT id::text FROM users WHERE email = ?", String.class, email.toLowerCase());

    HttpResponse<String> response = login(email.toUpperCase(), "s3cret-pass", nextAddress());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = Json.MESSAGES.readTree(response.body());
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asLong()).isEqualTo(900);
    var jwks = new RemoteJwks(uri("/.well-known/jwks.json"), Duration.ofMinutes(5), Duration.ZERO, Clock.systemUTC());
    var verifier = new AccessTokenVerifier(jwks, "mp3-converter-auth", "mp3-converter", Duration.ofSeconds(30),
        Clock.systemUTC());

    String token = body.get("access_token").asText();
    assertThat(verifier.verify(token)).isEqualTo(new AccessClaims(id, email.toLowerCase(), "Lou", false));
    JsonNode header = Json.MESSAGES.readTree(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
    assertThat(header.get("kid").asText()).isEqualTo(Ed25519Jwk.thumbprint(CURRENT_KEY.getPublic()));
  }

  @Test
  void wrongPasswordsAndUnknownUsersGetTheSameAnswer() throws Exception {
    String email = unique("same");
    post("/register", register(email, "s3cret-pass", "Sam"));

    HttpResponse<String> wrongPassword = login(email, "not-the-password", nextAddress());
    HttpResponse<String> unknownUser = login(unique("ghost"), "not-the-password", nextAddress());

    problemOf(wrongPassword, 401);
    problemOf(unknownUser, 401);
    assertThat(wrongPassword.body()).isEqualTo(unknownUser.body());
    assertThat(wrongPassword.headers().firstValue("Content-Type"))
        .isEqualTo(unknownUser.headers().firstValue("Content-Type"));
  }

  @Test
  void bodiesMustBeJson() throws Exception {
    String body = register(unique("form"), "s3cret-pass", "Ann");
    for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x",
        "nonsense")) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/register"))
          .header("Content-Type", type)
          .POST(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(problemOf(response, 415).type()).as(type).isEqualTo("/problems/unsupported-media-type");
    }
    problemOf(send(HttpRequest.newBuilder(uri("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("email=a%40example.com&password=x"))), 415);

    HttpResponse<String> withCharset = send(HttpRequest.newBuilder(uri("/register"))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    HttpResponse<String> untyped = send(HttpRequest.newBuilder(uri("/register"))
        .POST(HttpRequest.BodyPublishers.ofString(register(unique("untyped"), "s3cret-pass", "Ann"))));
    assertThat(withCharset.statusCode()).isEqualTo(202);
    assertThat(untyped.statusCode()).isEqualTo(202);
  }

  @Test
  void loginsNeedBothFields() throws Exception {
    problemOf(post("/login", "{\"email\":\"a@example.com\"}"), 400);
    problemOf(post("/login", "{\"password\":\"s3cret-pass\"}"), 400);
    problemOf(post("/login", "{\"email\":\"a@example.com\",\"password\":\"pw\",\"remember\":true}"), 400);
    problemOf(post("/login", "not json"), 400);
  }

  @Test
  void anAccountIsThrottledAfterFiveFailuresForTheClientThatFailed() throws Exception {
    String email = unique("locked");
    post("/register", register(email, "s3cret-pass", "Lee"));
    String address = nextAddress();
    for (int i = 0; i < 5; i++) {
      assertThat(login(email, "guess-" + i, address).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> throttled = login(email, "s3cret-pass", address);

    problemOf(throttled, 429);
    assertThat(throttled.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 900L));
    // The owner, elsewhere, is not locked out by those failures.
    assertThat(login(email, "s3cret-pass", nextAddress()).statusCode()).isEqualTo(200);
  }

  @Test
  void failuresSpreadOverAddressesDoNotLockTheAccount() throws Exception {
    String email = unique("spread");
    post("/register", register(email, "s3cret-pass", "Sue"));
    for (int i = 0; i < 5; i++) {
      assertThat(login(email, "guess-" + i, nextAddress()).statusCode()).isEqualTo(401);
    }

    assertThat(login(email, "s3cret-pass", nextAddress()).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientAddressIsThrottledAcrossAccounts() throws Exception {
    String address = nextAddress();
    String victim = unique("victim");
    post("/register", register(victim, "s3cret-pass", "Vic"));
    for (int i = 0; i < 8; i++) {
      assertThat(login(unique("spray"), "guess", address).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> throttled = login(victim, "s3cret-pass", address);

    problemOf(throttled, 429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    // The same account from another address is not affected.
    assertThat(login(victim, "s3cret-pass", nextAddress()).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutXForwardedForThePeerAddressIsTheClient() throws Exception {
    for (int i = 0; i < 8; i++) {
      assertThat(login(unique("peer"), "guess", null).statusCode()).isEqualTo(401);
    }

    problemOf(login(unique("peer"), "guess", null), 429);
    assertThat(login(unique("peer"), "guess", nextAddress()).statusCode()).isEqualTo(401);
  }

  @Test
  void theJwksPublishesTheSigningKeyThenThePreviousOneAndNothingPrivate() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/.well-known/jwks.json")).GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    JsonNode keys = Json.MESSAGES.readTree(response.body()).get("keys");
    assertThat(keys).hasSize(2);
    assertThat(keys.get(0).get("x").asText()).isEqualTo(Ed25519Jwk.x(CURRENT_KEY.getPublic()));
    assertThat(keys.get(1).get("x").asText()).isEqualTo(Ed25519Jwk.x(PREVIOUS_KEY.getPublic()));
    for (JsonNode key : keys) {
      assertThat(key.get("kty").asText()).isEqualTo("OKP");
      assertThat(key.get("crv").asText()).isEqualTo("Ed25519");
      assertThat(key.get("alg").asText()).isEqualTo("EdDSA");
      assertThat(key.get("use").asText()).isEqualTo("sig");
      assertThat(key.get("kid").asText()).isEqualTo(Ed25519Jwk.thumbprint(Ed25519Jwk.publicKey(key.get("x").asText())));
      assertThat(key.has("d")).isFalse();
    }
  }

  @Test
  void unknownPathsAreProblemsToo() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/nothing-here")).GET());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(Problem.MEDIA_TYPE));
  }

  @Test
  void managementAnswersOnItsOwnPort() throws Exception {
    HttpResponse<String> readiness = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")).GET());
    HttpResponse<String> prometheus = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).GET());

    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(Json.MESSAGES.readTree(readiness.body()).get("status").asText()).isEqualTo("UP");
    assertThat(prometheus.statusCode()).isEqualTo(200);
    assertThat(prometheus.body()).contains("application=\"auth\"");
    assertThat(send(HttpRequest.newBuilder(uri("/actuator/health")).GET()).statusCode()).isEqualTo(404);
  }

  private Problem problemOf(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(Problem.MEDIA_TYPE));
    Problem problem = Json.MESSAGES.readValue(response.body(), Problem.class);
    assertThat(problem.status()).isEqualTo(status);
    return problem;
  }

  private HttpResponse<String> login(String email, String password, String forwardedFor) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            Json.MESSAGES.writeValueAsString(new LoginRequestBody(email, password))));
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor + ", 10.0.0.1");
    }
    return send(request);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static String register(String email, String password, String name) throws Exception {
    return Json.MESSAGES.writeValueAsString(new RegisterRequest(email, password, name));
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  /** Every test its own client address, so no test trips another's per-address limit. */
  private static String nextAddress() {
    int n = ADDRESSES.getAndIncrement();
    return "198.51." + (n / 250) + "." + (n % 250 + 1);
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String label, Key key) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END " + label + "-----\n";
  }

  private record LoginRequestBody(String email, String password) {}
}
