package com.mp3converter.shared.token;

import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.ProblemException;
import java.util.Locale;
import java.util.Map;

/** The {@code Authorization: Bearer} scheme (RFC 6750) for both credentials the gateway accepts. */
public final class BearerTokens {
  public static final String REALM = "mp3-converter";

  private BearerTokens() {}

  /** The token of an {@code Authorization} header value, or null when there is no bearer token. */
  public static String token(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    if (value.length() <= 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String token = value.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  /** A 401 with the challenge that tells the client which scheme to use, and why its credential failed. */
  public static ProblemException challenge(String detail, boolean credentialPresented) {
    String challenge = credentialPresented
        ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\""
        : "Bearer realm=\"" + REALM + "\"";
    return new ProblemException(
        Problem.of(401, "unauthorized", "Authentication required", detail), Map.of("WWW-Authenticate", challenge));
  }
}
