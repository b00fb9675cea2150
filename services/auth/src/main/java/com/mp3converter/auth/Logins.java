package com.mp3converter.auth;

import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenIssuer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/** The steps of the login route that need code: who is asking, the throttle, the password check, the token. */
public final class Logins {
  /** Header the gateway sets to the address its client connected from. */
  static final String FORWARDED_FOR = "X-Forwarded-For";

  /** Longest client key kept: anything longer is not an address and would only inflate the throttle's memory. */
  static final int MAX_CLIENT_KEY = 64;

  private final RequestBodies bodies;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final AccessTokenIssuer issuer;

  public Logins(RequestBodies bodies, PasswordHasher hasher, LoginThrottle throttle, AccessTokenIssuer issuer) {
    this.bodies = bodies;
    this.hasher = hasher;
    this.throttle = throttle;
    this.issuer = issuer;
  }

  /** The body, read by the shared strict reader (size, depth and length caps; unknown fields and types). */
  public LoginRequest read(@Body byte[] body) throws IOException {
    return bodies.parse(body, LoginRequest.class);
  }

  /**
   * Checks the request's shape and the throttle before any database or hashing work, and leaves the normalised
   * email in the header the SELECT statement names.
   *
   * @return the request with its email normalised, kept by the route for {@link #authenticate}
   */
  public LoginRequest admit(
      @Body LoginRequest request,
      @ExchangeProperty("clientAddress") String client,
      @Headers Map<String, Object> headers) {
    if (request.email() == null || request.email().isBlank()) {
      throw ProblemException.badRequest("validation-failed", "'email' is required.");
    }
    if (request.password() == null || request.password().isEmpty()) {
      throw ProblemException.badRequest("validation-failed", "'password' is required.");
    }
    // No account can have such an email or password (registration refuses them): refused before the throttle
    // keeps a key for them and before any hashing, so oversized input costs neither memory nor Argon2 time.
    if (request.email().strip().length() > RegistrationValidator.MAX_EMAIL) {
      throw ProblemException.badRequest(
          "validation-failed", "'email' must have at most " + RegistrationValidator.MAX_EMAIL + " characters.");
    }
    if (request.password().codePointCount(0, request.password().length()) > RegistrationValidator.MAX_PASSWORD) {
      throw ProblemException.badRequest("validation-failed",
          "'password' must have at most " + RegistrationValidator.MAX_PASSWORD + " characters.");
    }
    LoginRequest normalized = new LoginRequest(Emails.normalize(request.email()), request.password());
    throttle.check(normalized.email(), client);
    headers.put("email", normalized.email());
    return normalized;
  }

  /**
   * Verifies the password against the row found (or a dummy hash when none was: same work, same answer) and
   * issues the access token.
   */
  public Map<String, Object> authenticate(
      @Body List<Map<String, Object>> rows,
      @ExchangeProperty("login") LoginRequest login,
      @ExchangeProperty("clientAddress") String client) {
    Map<String, Object> user = rows.isEmpty() ? null : rows.get(0);
    String storedHash = user == null ? null : (String) user.get("password_hash");
    if (!hasher.verify(login.password(), storedHash)) {
      throttle.recordFailure(login.email(), client);
      throw ProblemException.unauthorized("The email address or the password is not correct.");
    }
    throttle.recordSuccess(login.email());
    String token = issuer.issue(
        new AccessClaims(user.get("id").toString(), (String) user.get("email"), (String) user.get("name")));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", token);
    answer.put("token_type", "Bearer");
    answer.put("expires_in", issuer.ttl().toSeconds());
    return answer;
  }

  /**
   * The client a login is counted against: the first hop of X-Forwarded-For, which the gateway sets to the
   * address its client connected from, else the peer's address. Auth is never exposed directly; a caller that
   * reaches it anyway can choose this key, but not escape the per-account limit.
   */
  public String clientAddress(Exchange exchange) {
    String first = firstHop(exchange.getIn().getHeader(FORWARDED_FOR));
    if (first != null) {
      return first;
    }
    if (exchange.getIn() instanceof PlatformHttpMessage http && http.getRequest() != null) {
      return http.getRequest().getRemoteAddr();
    }
    return "unknown";
  }

  static String firstHop(Object forwardedFor) {
    Object value = forwardedFor instanceof List<?> list && !list.isEmpty() ? list.get(0) : forwardedFor;
    if (!(value instanceof String header)) {
      return null;
    }
    int comma = header.indexOf(',');
    String first = (comma < 0 ? header : header.substring(0, comma)).strip();
    if (first.isEmpty()) {
      return null;
    }
    return first.length() > MAX_CLIENT_KEY ? first.substring(0, MAX_CLIENT_KEY) : first;
  }
}
