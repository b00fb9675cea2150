package com.mp3converter.testing;

import com.mp3converter.local.LoopbackHttpServer;
import com.mp3converter.local.ResendApi;
import com.mp3converter.local.ResendApi.Email;
import com.mp3converter.local.ResendApi.Reply;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;

/**
 * Resend for tests: the launcher's Resend-compatible API ({@link ResendApi}) on a free port, with answers the test
 * scripts (500s, a 429 with retry-after) put in front of it and a record of every request, so tests can count
 * what was really "sent".
 */
public final class ResendStub implements AutoCloseable {
  /** Every request that arrived, accepted or not. */
  public record Attempt(int status, String idempotencyKey, String userAgent, String authorization) {}

  private record Scripted(int status, Map<String, String> headers, String body) {}

  private final String apiKey = "re_test_" + UUID.randomUUID().toString().replace("-", "");
  private final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
  private final List<Email> sent = new ArrayList<>();
  private final List<Attempt> attempts = new ArrayList<>();
  private final LoopbackHttpServer server;
  private volatile ResendApi api = new ResendApi(apiKey, this::accepted);
  private volatile Consumer<Email> onEmail = email -> {};

  private ResendStub() throws IOException {
    this.server = LoopbackHttpServer.start("resend-stub", 0, "/emails", this::handle);
  }

  public static ResendStub start() throws IOException {
    return new ResendStub();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public String apiKey() {
    return apiKey;
  }

  /**
   * Runs {@code listener} for every email accepted from now on (not for idempotent replays), after it counts as
   * sent and before the answer leaves: a test can act in that window.
   */
  public ResendStub onEmail(Consumer<Email> listener) {
    this.onEmail = listener;
    return this;
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

  /** Forgets every email, request, scripted answer and idempotency key. */
  public synchronized void reset() {
    sent.clear();
    attempts.clear();
    script.clear();
    api = new ResendApi(apiKey, this::accepted);
  }

  private void accepted(Email email) {
    synchronized (this) {
      sent.add(email);
    }
    onEmail.accept(email);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Headers headers = exchange.getRequestHeaders();
      Scripted scripted = script.poll();
      Reply reply;
      if (scripted != null) {
        scripted.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        reply = new Reply(scripted.status(), scripted.body());
      } else {
        reply = api.answer(exchange.getRequestMethod(), headers, body);
      }
      // Recorded before the answer leaves, so a test that has its response also finds the attempt.
      record(new Attempt(reply.status(), headers.getFirst("Idempotency-Key"), headers.getFirst("User-Agent"),
          headers.getFirst("Authorization")));
      reply.sendTo(exchange);
    }
  }

  private synchronized void record(Attempt attempt) {
    attempts.add(attempt);
  }

  @Override
  public void close() {
    server.close();
  }
}
