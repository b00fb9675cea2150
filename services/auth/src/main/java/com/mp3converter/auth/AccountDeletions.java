package com.mp3converter.auth;

import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenVerifier;
import com.mp3converter.shared.token.BearerTokens;
import com.mp3converter.shared.token.InvalidTokenException;
import java.util.UUID;
import org.apache.camel.Header;

/**
 * DELETE /account: the caller (their own access token, checked against auth's own keys) deletes their account.
 * The user row, their tokens and unsent emails go in one statement that also writes {@code account.deleted} to the
 * outbox; the gateway (jobs, objects) and the notifier (its records) delete the rest when it arrives.
 */
public final class AccountDeletions {
  private final AccessTokenVerifier verifier;
  private final Outbox outbox;
  private final AccountMessages messages;

  public AccountDeletions(AccessTokenVerifier verifier, Outbox outbox, AccountMessages messages) {
    this.verifier = verifier;
    this.outbox = outbox;
    this.messages = messages;
  }

  public void delete(@Header("Authorization") String authorization) {
    String token = BearerTokens.token(authorization);
    if (token == null) {
      throw BearerTokens.challenge("An access token is required (Authorization: Bearer <token>).", false);
    }
    UUID userId;
    try {
      AccessClaims claims = verifier.verify(token);
      userId = UUID.fromString(claims.userId());
    } catch (InvalidTokenException | IllegalArgumentException e) {
      throw BearerTokens.challenge("The access token is not valid.", true);
    }
    if (outbox.deleteAccount(messages.deleted(userId)).isEmpty()) {
      throw ProblemException.unauthorized("The account no longer exists.");
    }
  }
}
