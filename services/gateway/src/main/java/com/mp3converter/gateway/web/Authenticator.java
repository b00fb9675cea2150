package com.mp3converter.gateway.web;

import com.mp3converter.shared.token.BearerTokens;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.InvalidTokenException;
import com.mp3converter.shared.problem.ProblemException;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the caller's access token locally (auth's keys come from its cached JWKS; a token verified before is
 * recognised, {@link VerifiedAccessTokens}) and answers who the caller is;
 * routes keep that in the exchange property {@code user} ({@link com.mp3converter.gateway.ExchangePropertyNames#USER})
 * and every later step reads the user from there, never from a header.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  private final VerifiedAccessTokens verifier;
  private final Predicate<UUID> deletedAccount;

  /**
   * @param deletedAccount whether a user's account was deleted: their tokens stay well signed until they expire,
   *     and are refused
   */
  public Authenticator(VerifiedAccessTokens verifier, Predicate<UUID> deletedAccount) {
    this.verifier = verifier;
    this.deletedAccount = deletedAccount;
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
    UUID userId;
    try {
      // Object keys and table rows are keyed by the user's UUID; a token for anything else is not ours.
      userId = UUID.fromString(claims.userId());
    } catch (IllegalArgumentException e) {
      throw BearerTokens.challenge("The access token is not valid.", true);
    }
    if (deletedAccount.test(userId)) {
      throw BearerTokens.challenge("The account was deleted.", true);
    }
    return claims;
  }

  /** Conversions email their results: only an address the user proved (the token's email_verified) gets them. */
  public void requireVerifiedEmail(@ExchangeProperty("user") AccessClaims user) {
    if (!user.emailVerified()) {
      throw ProblemException.forbidden("email-not-verified",
          "Verify your email address first: follow the link in the email we sent when you registered, then log in "
              + "again.");
    }
  }
}
