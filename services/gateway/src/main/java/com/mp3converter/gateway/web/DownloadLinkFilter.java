package com.mp3converter.gateway.web;

import com.mp3converter.gateway.downloads.Downloads;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.token.DownloadTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Answers {@code GET /downloads/{token}} with a token this gateway never signed (forged, tampered, malformed: the
 * HMAC does not match, {@link DownloadTokens#signedHere}) right away, before Spring MVC, the request threads and
 * Camel's route: the same 403 problem the route answers ({@link Downloads#invalidLink}), with the same headers
 * ({@code Content-Type: application/problem+json}, chunked like the route's). A flood of forged links then costs
 * one HMAC each on Tomcat's thread, and takes no request thread from the rest of the API. Every token that is
 * signed here (valid, expired, or naming a job that is not there) and every path that is not a plain token goes
 * on to the route, which checks it fully. Runs after Spring's observation filter, so these requests still count in
 * {@code http_server_requests}, under the route's path pattern; they no longer count as failed Camel exchanges.
 */
public final class DownloadLinkFilter extends OncePerRequestFilter {
  static final String PREFIX = "/downloads/";
  /** The path pattern the route's answers are measured under (Spring MVC's match of the REST path). */
  static final String PATH_PATTERN = "/downloads/{token}";

  private final DownloadTokens tokens;
  private final Problem problem = Downloads.invalidLink().problem();
  private final byte[] body;

  public DownloadLinkFilter(DownloadTokens tokens) {
    this.tokens = tokens;
    try {
      this.body = Json.MESSAGES.writeValueAsBytes(problem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"GET".equals(request.getMethod()) || !request.getRequestURI().startsWith(PREFIX);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String token = request.getRequestURI().substring(PREFIX.length());
    if (!plain(token) || tokens.signedHere(token)) {
      chain.doFilter(request, response);
      return;
    }
    ServerHttpObservationFilter.findObservationContext(request)
        .ifPresent(observation -> observation.setPathPattern(PATH_PATTERN));
    response.setStatus(problem.status());
    response.setContentType(Problem.MEDIA_TYPE);
    response.getOutputStream().write(body);
    // Committed before the end, as Camel's binding does: chunked, no Content-Length, like the route's answer.
    response.flushBuffer();
  }

  /**
   * Only what the route would see unchanged as its {@code token}: base64url characters and dots, nothing
   * percent-encoded, no further segment or path parameter. Anything else is left to the route.
   */
  static boolean plain(String token) {
    if (token.isEmpty()) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
          || c == '_' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
