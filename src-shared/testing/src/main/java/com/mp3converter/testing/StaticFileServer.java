package com.mp3converter.testing;

import com.mp3converter.local.LoopbackHttpServer;
import com.mp3converter.local.StaticFiles;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user's source host for tests: the launcher's file server ({@link StaticFiles}) on loopback, plus scripted
 * redirects and handlers of the test's own. It records every request so tests can assert what reached it.
 */
public final class StaticFileServer implements AutoCloseable {
  /** What the server saw of one request. */
  public record SeenRequest(String method, String path, Map<String, List<String>> headers) {}

  private final StaticFiles files;
  private final LoopbackHttpServer server;
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();
  private final List<SeenRequest> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger hits = new AtomicInteger();

  private StaticFileServer(Path root) throws IOException {
    this.files = new StaticFiles(root);
    this.server = LoopbackHttpServer.start("static-file-server", 0, "/", this::handle);
  }

  public static StaticFileServer serve(Path root) throws IOException {
    return new StaticFileServer(root);
  }

  public int port() {
    return server.port();
  }

  /** The URL of a file (or any path) on this server, e.g. {@code url("song.wav")}. */
  public String url(String path) {
    return server.baseUrl() + "/" + (path.startsWith("/") ? path.substring(1) : path);
  }

  /** Answers {@code path} with a 302 to {@code location}. */
  public StaticFileServer redirect(String path, String location) {
    redirects.put(normalise(path), location);
    return this;
  }

  /** Answers {@code path} with a handler of the test's own (slow bodies, errors, ...). */
  public StaticFileServer handle(String path, HttpHandler handler) {
    handlers.put(normalise(path), handler);
    return this;
  }

  /**
   * A source that drips: a 200 with no length, then one byte every {@code every} on a schedule, until the client
   * hangs up or {@code bytes} bytes have gone out; {@code sent} counts them.
   */
  public static HttpHandler drip(int bytes, Duration every, AtomicInteger sent) {
    return exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      CompletableFuture<Void> dripping = new CompletableFuture<>();
      ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
      pace.scheduleAtFixedRate(() -> {
        try {
          out.write('x');
          out.flush();
          if (sent.incrementAndGet() >= bytes) {
            dripping.complete(null);
          }
        } catch (IOException clientHungUp) {
          dripping.complete(null);
        }
      }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
      try {
        dripping.join();
      } finally {
        pace.shutdownNow();
      }
    };
  }

  public int hits() {
    return hits.get();
  }

  public List<SeenRequest> requests() {
    return List.copyOf(seen);
  }

  private void handle(HttpExchange exchange) throws IOException {
    hits.incrementAndGet();
    String path = normalise(exchange.getRequestURI().getPath());
    seen.add(new SeenRequest(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders())));
    try (exchange) {
      HttpHandler custom = handlers.get(path);
      String location = redirects.get(path);
      if (custom != null) {
        custom.handle(exchange);
      } else if (location != null) {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
      } else {
        files.handle(exchange);
      }
    }
  }

  private static String normalise(String path) {
    return path.startsWith("/") ? path : "/" + path;
  }

  @Override
  public void close() {
    server.close();
  }
}
