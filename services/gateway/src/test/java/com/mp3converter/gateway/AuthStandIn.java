package com.mp3converter.gateway;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenIssuer;
import com.mp3converter.shared.token.Ed25519Jwk;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small stand-in for auth on loopback (auth is another module): it serves the JWKS of a key the test signs
 * access tokens with, and answers /register and /login with fixed responses while recording what it was sent.
 * /login answers like auth's throttle (429 with a Retry-After the test chooses) and can be made to hang, like an
 * auth that is overloaded; requests are served in parallel, so a hanging login never holds the JWKS.
 */
final class AuthStandIn implements AutoCloseable {
  static final String ISSUER = "mp3-converter-auth";
  static final String AUDIENCE = "mp3-converter";

  /** One request as auth received it. */
  record Received(String path, Map<String, List<String>> headers, String body) {}

  private final KeyPair keys;
  private final String kid;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(64);
  final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile String loginRetryAfter = "30";
  private volatile CountDownLatch loginGate = new CountDownLatch(0);

  private AuthStandIn() throws IOException {
    keys = ed25519();
    kid = Ed25519Jwk.thumbprint(keys.getPublic());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/.well-known/jwks.json", exchange ->
        respond(exchange, 200, "application/json", Json.MESSAGES.writeValueAsString(issuer(Clock.systemUTC()).jwks()),
            Map.of()));
    server.createContext("/register", exchange -> {
      record(exchange);
      respond(exchange, 201, "application/json", "{\"id\":\"1\",\"email\":\"a@example.com\",\"name\":\"A\"}",
          Map.of("X-Auth-Internal", "must-not-leak", "Set-Cookie", "session=leak"));
    });
    server.createContext("/login", exchange -> {
      record(exchange);
      awaitGate(loginGate);
      respond(exchange, 429, "application/problem+json",
          "{\"type\":\"/problems/too-many-requests\",\"title\":\"Too many requests\",\"status\":429}",
          Map.of("Retry-After", loginRetryAfter, "X-Auth-Internal", "must-not-leak"));
    });
    server.setExecutor(threads);
    server.start();
  }

  static AuthStandIn start() {
    try {
      return new AuthStandIn();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** /login answers 429 with this Retry-After (seconds), as auth's throttle does. */
  void throttleLoginsFor(String retryAfterSeconds) {
    loginRetryAfter = retryAfterSeconds;
  }

  /** /login requests are held unanswered (an overloaded auth) until {@link #answerHeldLogins()}. */
  void holdLogins() {
    loginGate = new CountDownLatch(1);
  }

  void answerHeldLogins() {
    loginGate.countDown();
  }

  /** How many /login requests reached this stand-in (each attempt, retries included). */
  long loginsReceived() {
    return received.stream().filter(request -> request.path().equals("/login")).count();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  AccessTokenIssuer issuer(Clock clock) {
    return new AccessTokenIssuer(keys.getPrivate(), kid, Map.of(kid, keys.getPublic()), ISSUER, AUDIENCE,
        Duration.ofMinutes(15), clock);
  }

  /** An access token for this user, valid now. */
  String token(String userId) {
    return issuer(Clock.systemUTC()).issue(new AccessClaims(userId, userId + "@example.com", "User " + userId, true));
  }

  /** A token signed by a key that is not in the JWKS. */
  static String foreignToken(String userId) {
    KeyPair other = ed25519();
    String otherKid = Ed25519Jwk.thumbprint(other.getPublic());
    return new AccessTokenIssuer(other.getPrivate(), otherKid, Map.of(otherKid, other.getPublic()), ISSUER, AUDIENCE,
        Duration.ofMinutes(15), Clock.systemUTC()).issue(new AccessClaims(userId, "x@example.com", "X", true));
  }

  private void record(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
  }

  /** A held request is let go after a minute at the latest, so a test that fails never leaves threads behind. */
  private static void awaitGate(CountDownLatch gate) {
    try {
      gate.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body,
      Map<String, String> headers) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    answerHeldLogins();
    server.stop(0);
    threads.shutdownNow();
  }
}
