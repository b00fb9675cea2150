package com.mp3converter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a folder over HTTP on loopback only, the way a user's source host would: files, 404s, scripted
 * redirects and handlers of the test's own. It records every request so tests can assert what reached it.
 */
public final class StaticFileServer implements AutoCloseable {
  /** What the server saw of one request. */
  public record SeenRequest(String method, String path, Map<String, List<String>> headers) {}

  private final HttpServer server;
  private final Path root;
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();
  private final List<SeenRequest> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger hits = new AtomicInteger();

  private StaticFileServer(Path root, int port) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    this.server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "static-file-server");
      t.setDaemon(true);
      return t;
    }));
    this.server.createContext("/", this::handle);
    this.server.start();
  }

  public static StaticFileServer serve(Path root) throws IOException {
    return new StaticFileServer(root, 0);
  }

  /** Serves {@code root} on a chosen loopback port (the launcher's local source files). */
  public static StaticFileServer serve(Path root, int port) throws IOException {
    return new StaticFileServer(root, port);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The URL of a file (or any path) on this server, e.g. {@code url("song.wav")}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + "/" + (path.startsWith("/") ? path.substring(1) : path);
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
      if (custom != null) {
        custom.handle(exchange);
        return;
      }
      String location = redirects.get(path);
      if (location != null) {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      Path file = root.resolve(path.substring(1)).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, Files.size(file));
      if (!"HEAD".equals(exchange.getRequestMethod())) {
        try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
          in.transferTo(out);
        }
      }
    }
  }

  private static String normalise(String path) {
    return path.startsWith("/") ? path : "/" + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
