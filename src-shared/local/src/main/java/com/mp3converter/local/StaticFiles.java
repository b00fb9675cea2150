package com.mp3converter.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files under one folder, the way a user's source host serves them: GET and HEAD of a regular file as
 * {@code application/octet-stream} with its length, 404 for anything else, never a file outside the folder.
 */
public final class StaticFiles implements HttpHandler {
  private final Path root;

  public StaticFiles(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Path file = root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
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
}
