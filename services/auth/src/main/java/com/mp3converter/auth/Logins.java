package com.mp3converter.auth;

import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenIssuer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/** The steps of the login route that need code: the throttle, the password check, the token. */
public final class Logins {
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
   * Checks the request's shape, then takes an attempt from the throttle, before any database or hashing work.
   *
   * @return the request with its email normalised: the route looks the user up by it and keeps it for
   *     {@link #authenticate}
   */
  public LoginRequest admit(@Body LoginRequest request, @ExchangeProperty("clientAddress") String client) {
    if (request.email() == null || request.email().isBlank()) {
      throw ProblemException.badRequest("validation-failed", "'email' is required.");
    }
    if (request.password() == null || request.password().isEmpty()) {
      throw ProblemException.badRequest("validation-failed", "'password' is required.");
    }
    // No account can have such an email or password (registration refuses them): refused before the throttle
    // stores a key for them and before any hashing, so oversized input costs neither a row nor Argon2 time.
    if (request.email().strip().length() > RegistrationValidator.MAX_EMAIL) {
      throw ProblemException.badRequest(
          "validation-failed", "'email' must have at most " + RegistrationValidator.MAX_EMAIL + " characters.");
    }
    if (request.password().codePointCount(0, request.password().length()) > RegistrationValidator.MAX_PASSWORD) {
      throw ProblemException.badRequest("validation-failed",
          "'password' must have at most " + RegistrationValidator.MAX_PASSWORD + " characters.");
    }
    LoginRequest normalized = new LoginRequest(Emails.normalize(request.email()), request.password());
    throttle.admit(normalized.email(), client);
    return normalized;
  }

  /**
   * Verifies the password against the user found (or a dummy hash when there is none: same work, same answer)
   * and issues the access token.
   */
  public Map<String, Object> authenticate(
      @Body Optional<User> found,
      @ExchangeProperty("login") LoginRequest login,
      @ExchangeProperty("clientAddress") String client) {
    boolean verified;
    try {
      verified = hasher.verify(login.password(), found.map(User::passwordHash).orElse(null));
    } catch (RuntimeException notVerified) {
      throttle.abandoned(login.email(), client);
      throw notVerified;
    }
    if (!verified) {
      // The attempt admit took stays taken: a failure.
      throw ProblemException.unauthorized("The email address or the password is not correct.");
    }
    throttle.succeeded(login.email(), client);
    User user = found.orElseThrow();
    String token = issuer.issue(new AccessClaims(user.id().toString(), user.email(), user.name(), user.emailVerified()));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", token);
    answer.put("token_type", "Bearer");
    answer.put("expires_in", issuer.ttl().toSeconds());
    return answer;
  }
}
