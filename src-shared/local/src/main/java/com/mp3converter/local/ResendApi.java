package com.mp3converter.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Resend's email API ({@code POST /emails}) the way the notifier meets it: a Bearer API key and a User-Agent are
 * required, the JSON is validated (422), and an {@code Idempotency-Key} replays (the same key and body answer
 * the first email's id without accepting it again; another body under that key is a 409). Every accepted email
 * goes to the consumer given, exactly once: the launcher's outbox writes it to disk.
 */
public final class ResendApi implements HttpHandler {
  /** One email the API accepted (and Resend would deliver once). */
  public record Email(
      String id, String from, List<String> to, String subject, String html, String text, String idempotencyKey) {}

  /** An answer: the status and Resend's JSON body (an id, or an error object). */
  public record Reply(int status, String json) {
    /** Sends this reply as the response to {@code exchange}. */
    public void sendTo(HttpExchange exchange) throws IOException {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** The first request under an idempotency key: the id it was answered with and its body. */
  private record FirstRequest(String id, String body) {}

  private final String apiKey;
  private final Consumer<Email> accepted;
  private final Map<String, FirstRequest> idempotency = new HashMap<>();

  public ResendApi(String apiKey, Consumer<Email> accepted) {
    this.apiKey = apiKey;
    this.accepted = accepted;
  }

  public String apiKey() {
    return apiKey;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      answer(exchange.getRequestMethod(), exchange.getRequestHeaders(), body).sendTo(exchange);
    }
  }

  /** What Resend answers to this request; an accepted email has reached the consumer when this returns. */
  public Reply answer(String method, Headers headers, String body) {
    String auth = headers.getFirst("Authorization");
    String userAgent = headers.getFirst("User-Agent");
    if (!"POST".equals(method)) {
      return error(405, "method_not_allowed", "Method not allowed");
    }
    if (auth == null || !auth.startsWith("Bearer ")) {
      return error(401, "missing_api_key", "Missing API key in the authorization header.");
    }
    if (!auth.equals("Bearer " + apiKey)) {
      return error(403, "invalid_api_key", "API key is invalid");
    }
    if (userAgent == null || userAgent.isBlank()) {
      return error(403, "missing_user_agent", "A User-Agent header is required");
    }
    return accept(body, headers.getFirst("Idempotency-Key"));
  }

  private synchronized Reply accept(String body, String key) {
    JsonNode json;
    try {
      json = Json.MESSAGES.readTree(body);
    } catch (IOException e) {
      return error(422, "validation_error", "Invalid JSON");
    }
    List<String> to = new ArrayList<>();
    json.path("to").forEach(n -> to.add(n.asText()));
    if (json.path("to").isTextual()) {
      to.add(json.get("to").asText());
    }
    if (!json.path("from").isTextual() || to.isEmpty() || !json.path("subject").isTextual()
        || (!json.path("html").isTextual() && !json.path("text").isTextual())) {
      return error(422, "validation_error", "from, to, subject and html or text are required");
    }
    if (key != null && idempotency.containsKey(key)) {
      FirstRequest first = idempotency.get(key);
      if (!first.body().equals(body)) {
        return error(409, "invalid_idempotent_request", "Same idempotency key, different payload");
      }
      return new Reply(200, "{\"id\":\"" + first.id() + "\"}");
    }
    String id = UUID.randomUUID().toString();
    if (key != null) {
      idempotency.put(key, new FirstRequest(id, body));
    }
    accepted.accept(new Email(id, json.get("from").asText(), to, json.get("subject").asText(),
        json.path("html").asText(null), json.path("text").asText(null), key));
    return new Reply(200, "{\"id\":\"" + id + "\"}");
  }

  private static Reply error(int status, String name, String message) {
    return new Reply(status, "{\"statusCode\":" + status + ",\"name\":\"" + name + "\",\"message\":\"" + message + "\"}");
  }
}
