package com.mp3converter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;

/**
 * A local server that speaks Resend's email API the way the notifier meets it: {@code POST /emails} with a
 * Bearer API key and a User-Agent, JSON validation (422), and {@code Idempotency-Key} replay (the same key and
 * body answer the first email's id without sending again). Tests can script the next answers (500s, a 429 with
 * retry-after) and then count what was really "sent".
 */
public final class ResendStub implements AutoCloseable {
  /** One email Resend accepted (and would deliver once). */
  public record Email(
      String id, String from, List<String> to, String subject, String html, String text, String idempotencyKey) {}

  /** Every request that arrived, accepted or not. */
  public record Attempt(int status, String idempotencyKey, String userAgent, String authorization) {}

  private record Scripted(int status, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final String apiKey;
  private final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
  private final List<Email> sent = new ArrayList<>();
  private final List<Attempt> attempts = new ArrayList<>();
  private final Map<String, String> idempotency = new HashMap<>();

  private volatile java.util.function.Consumer<Email> listener = email -> {};

  private ResendStub(String apiKey, int port) throws IOException {
    this.apiKey = apiKey;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    this.server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "resend-stub");
      t.setDaemon(true);
      return t;
    }));
    this.server.createContext("/emails", this::handle);
    this.server.start();
  }

  public static ResendStub start() throws IOException {
    return new ResendStub("re_test_" + UUID.randomUUID().toString().replace("-", ""), 0);
  }

  /** A stub on a chosen port (0 for any) with a chosen API key, e.g. the launcher's local outbox. */
  public static ResendStub start(String apiKey, int port) throws IOException {
    return new ResendStub(apiKey, port);
  }

  /** Called once for every email accepted (not for idempotent replays). */
  public ResendStub onEmail(java.util.function.Consumer<Email> listener) {
    this.listener = listener;
    return this;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String apiKey() {
    return apiKey;
  }

  /** The next request is answered with this instead of being processed (queue several for a sequence). */
  public ResendStub thenAnswer(int status, Map<String, String> headers, String body) {
    script.add(new Scripted(status, headers, body));
    return this;
  }

  public synchronized List<Email> emails() {
    return List.copyOf(sent);
  }

  public synchronized List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  public synchronized void reset() {
    sent.clear();
    attempts.clear();
    idempotency.clear();
    script.clear();
  }

  /** Blocks until at least {@code count} emails were accepted; fails the test at the deadline. */
  public List<Email> awaitEmails(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (sent.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + count + " emails within " + timeout + ", got " + sent.size());
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(sent);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
      Scripted scripted = script.poll();
      if (scripted != null) {
        record(new Attempt(scripted.status(), key, userAgent, auth));
        scripted.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        answer(exchange, scripted.status(), scripted.body());
        return;
      }
      int status;
      String response;
      if (!"POST".equals(exchange.getRequestMethod())) {
        status = 405;
        response = error(405, "method_not_allowed", "Method not allowed");
      } else if (auth == null || !auth.startsWith("Bearer ")) {
        status = 401;
        response = error(401, "missing_api_key", "Missing API key in the authorization header.");
      } else if (!auth.equals("Bearer " + apiKey)) {
        status = 403;
        response = error(403, "invalid_api_key", "API key is invalid");
      } else if (userAgent == null || userAgent.isBlank()) {
        status = 403;
        response = error(403, "missing_user_agent", "A User-Agent header is required");
      } else {
        String[] outcome = accept(body, key);
        status = Integer.parseInt(outcome[0]);
        response = outcome[1];
      }
      record(new Attempt(status, key, userAgent, auth));
      answer(exchange, status, response);
    }
  }

  private synchronized String[] accept(String body, String key) {
    JsonNode json;
    try {
      json = Json.MESSAGES.readTree(body);
    } catch (IOException e) {
      return new String[] {"422", error(422, "validation_error", "Invalid JSON")};
    }
    List<String> to = new ArrayList<>();
    json.path("to").forEach(n -> to.add(n.asText()));
    if (json.path("to").isTextual()) {
      to.add(json.get("to").asText());
    }
    if (!json.path("from").isTextual() || to.isEmpty() || !json.path("subject").isTextual()
        || (!json.path("html").isTextual() && !json.path("text").isTextual())) {
      return new String[] {"422", error(422, "validation_error", "from, to, subject and html or text are required")};
    }
    if (key != null && idempotency.containsKey(key)) {
      String previous = idempotency.get(key);
      String[] parts = previous.split("\n", 2);
      if (!parts[1].equals(body)) {
        return new String[] {"409", error(409, "invalid_idempotent_request", "Same idempotency key, different payload")};
      }
      return new String[] {"200", "{\"id\":\"" + parts[0] + "\"}"};
    }
    String id = UUID.randomUUID().toString();
    if (key != null) {
      idempotency.put(key, id + "\n" + body);
    }
    sent.add(new Email(id, json.get("from").asText(), to, json.get("subject").asText(),
        json.path("html").asText(null), json.path("text").asText(null), key));
    notifyAll();
    listener.accept(sent.get(sent.size() - 1));
    return new String[] {"200", "{\"id\":\"" + id + "\"}"};
  }

  private synchronized void record(Attempt attempt) {
    attempts.add(attempt);
  }

  private static String error(int status, String name, String message) {
    return "{\"statusCode\":" + status + ",\"name\":\"" + name + "\",\"message\":\"" + message + "\"}";
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
