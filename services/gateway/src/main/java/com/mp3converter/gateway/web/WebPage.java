package com.mp3converter.gateway.web;

import com.mp3converter.shared.problem.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * The web app at {@code /} (and {@code /verify}, {@code /reset}, the pages the emailed links open): one HTML page and
 * its scripts and style sheet from {@code classpath:web/}, read once at startup. The app talks only to the public
 * API. Every answer carries a strict Content-Security-Policy (scripts, styles and requests from this origin only, no
 * inline code, no framing) and no Referer leaves the page (the verify and reset links carry a token in their query).
 * Files are revalidated on every use ({@code no-cache} with an ETag): there is no build step that would give them
 * versioned names, and a 304 costs one small request.
 */
public final class WebPage {
  /** Every file the app consists of; any other name is a 404. */
  static final List<String> FILES = List.of("index.html", "app.js", "api.js", "jobs.js", "style.css", "icon.svg");

  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'");

  /** One file of the app, ready to send. */
  public record WebFile(String name, byte[] content, String contentType, String etag) {}

  private final Map<String, WebFile> files = new LinkedHashMap<>();

  public WebPage() {
    for (String name : FILES) {
      byte[] content = read(name);
      files.put(name, new WebFile(name, content, contentType(name), etag(content)));
    }
  }

  /**
   * Answers the file a request asks for, or 304 when the browser's copy ({@code If-None-Match}) is current.
   * {@code file} is the path parameter of {@code /web/{file}}; the pages themselves (no such parameter) are the HTML
   * page, which reads its path and query itself. The request's headers are dropped once read: platform-http would
   * send them back as response headers.
   */
  public void serve(@Header("file") String file, @Header("If-None-Match") String ifNoneMatch, Message message) {
    WebFile found = resolve(file);
    message.removeHeaders("*");
    // platform-http's header filter drops Cache-Control from the message: set on the servlet response itself.
    ServletExchanges.response(message).ifPresent(response -> response.setHeader("Cache-Control", "no-cache"));
    message.setHeader("ETag", found.etag());
    message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    message.setHeader("X-Content-Type-Options", "nosniff");
    message.setHeader("Referrer-Policy", "no-referrer");
    message.setHeader("Content-Type", found.contentType());
    if (found.etag().equals(ifNoneMatch)) {
      message.setHeader("CamelHttpResponseCode", 304);
      message.setBody(null);
    } else {
      message.setHeader("CamelHttpResponseCode", 200);
      message.setBody(found.content());
    }
  }

  WebFile resolve(String file) {
    if (file == null) {
      return files.get("index.html");
    }
    WebFile found = files.get(file);
    if (found == null || found.name().equals("index.html")) {
      throw ProblemException.notFound("No such file of the web app.");
    }
    return found;
  }

  private static byte[] read(String name) {
    try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream("web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("web/" + name + " is missing from the gateway's classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return switch (extension) {
      case "html" -> "text/html; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      default -> throw new IllegalArgumentException("no content type for " + name);
    };
  }

  private static String etag(byte[] content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
