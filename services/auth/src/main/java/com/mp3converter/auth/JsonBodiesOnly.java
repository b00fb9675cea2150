package com.mp3converter.auth;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies that auth will not read, before Camel sees them. Not JSON: 415, because platform-http
 * parses form and multipart bodies itself while building the exchange, outside any route, and a body that does
 * not parse there would end as a bare 500 instead of a problem. A request without a Content-Type is read as JSON.
 * Larger than the shared cap, or of unknown length: 413 or 411 unread, because platform-http copies the whole body
 * into memory before any route step could count it. The gateway, auth's only client, always sends the length.
 */
public final class JsonBodiesOnly extends OncePerRequestFilter {
  private static final Problem UNSUPPORTED = Problem.of(
      415, "unsupported-media-type", "Unsupported media type", "Send the request body as application/json.");
  private static final Problem TOO_LARGE = Problem.of(413, "payload-too-large", "Payload too large",
      "The request body exceeds " + RequestBodies.DEFAULT_MAX_BYTES + " bytes.");
  private static final Problem LENGTH_REQUIRED = Problem.of(
      411, "length-required", "Length required", "Send the request body with a Content-Length.");

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentType() != null && !isJson(request.getContentType())) {
      refuse(response, UNSUPPORTED);
    } else if (request.getContentLengthLong() > RequestBodies.DEFAULT_MAX_BYTES) {
      refuse(response, TOO_LARGE);
    } else if (request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") != null) {
      refuse(response, LENGTH_REQUIRED);
    } else {
      chain.doFilter(request, response);
    }
  }

  private static void refuse(HttpServletResponse response, Problem problem) throws IOException {
    response.setStatus(problem.status());
    response.setContentType(Problem.MEDIA_TYPE);
    response.getOutputStream().write(Json.MESSAGES.writeValueAsBytes(problem));
  }

  private static boolean isJson(String contentType) {
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return MediaType.APPLICATION_JSON.includes(type)
          || ("application".equals(type.getType()) && type.getSubtype().endsWith("+json"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
