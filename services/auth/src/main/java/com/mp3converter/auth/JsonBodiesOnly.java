package com.mp3converter.auth;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies that are not JSON with a 415 before Camel sees them: platform-http parses form and
 * multipart bodies itself while building the exchange, outside any route, and a body that does not parse there
 * would end as a bare 500 instead of a problem. A request without a Content-Type is read as JSON.
 */
public final class JsonBodiesOnly extends OncePerRequestFilter {
  private static final Problem UNSUPPORTED = Problem.of(
      415, "unsupported-media-type", "Unsupported media type", "Send the request body as application/json.");

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentType() == null || isJson(request.getContentType())) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(UNSUPPORTED.status());
    response.setContentType(Problem.MEDIA_TYPE);
    response.getOutputStream().write(Json.MESSAGES.writeValueAsBytes(UNSUPPORTED));
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
