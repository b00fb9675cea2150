package com.mp3converter.gateway.web;

import com.mp3converter.shared.token.BearerTokens;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenVerifier;
import com.mp3converter.shared.token.InvalidTokenException;
import java.util.UUID;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the caller's access token locally (auth's keys come from its cached JWKS) and answers who the caller is;
 * routes keep that in the exchange property {@code user} ({@link com.mp3converter.gateway.ExchangePropertyNames#USER})
 * and every later step reads the user from there, never from a header.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  private final AccessTokenVerifier verifier;

  public Authenticator(AccessTokenVerifier verifier) {
    this.verifier = verifier;
  }

  /** The caller named by the {@code Authorization} header's bearer token; 401 without a valid one. */
  public AccessClaims authenticate(@Header("Authorization") String authorization) {
    String token = BearerTokens.token(authorization);
    if (token == null) {
      throw BearerTokens.challenge("An access token is required (Authorization: Bearer <token>).", false);
    }
    AccessClaims claims;
    try {
      claims = verifier.verify(token);
    } catch (InvalidTokenException e) {
      LOG.debug("Access token refused: {}", e.getMessage());
      throw BearerTokens.challenge(
          e.expired() ? "The access token has expired; log in again." : "The access token is not valid.", true);
    }
    try {
      // Object keys and table rows are keyed by the user's UUID; a token for anything else is not ours.
      UUID.fromString(claims.userId());
    } catch (IllegalArgumentException e) {
      throw BearerTokens.challenge("The access token is not valid.", true);
    }
    return claims;
  }
}
