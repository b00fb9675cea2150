package com.mp3converter.auth;

import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * The steps of the verify and password-reset routes: what the links in the account emails do. A token is spent
 * by the one statement that acts on it ({@link AccountTokens}), so two requests with one token cannot both
 * succeed. Refusals are precise: a token that is not ours (or is for the other purpose) is a 400, a spent or
 * expired one a 410.
 */
public final class AccountLinks {
  private final RequestBodies bodies;
  private final AccountTokenCodec codec;
  private final AccountTokens tokens;
  private final Users users;
  private final AccountMessages messages;
  private final PasswordHasher hasher;
  private final RegistrationThrottle resetThrottle;
  private final Duration resetTtl;
  private final Clock clock;

  public AccountLinks(RequestBodies bodies, AccountTokenCodec codec, AccountTokens tokens, Users users,
      AccountMessages messages, PasswordHasher hasher, RegistrationThrottle resetThrottle, Duration resetTtl,
      Clock clock) {
    this.bodies = bodies;
    this.codec = codec;
    this.tokens = tokens;
    this.users = users;
    this.messages = messages;
    this.hasher = hasher;
    this.resetThrottle = resetThrottle;
    this.resetTtl = resetTtl;
    this.clock = clock;
  }

  public TokenRequest readToken(@Body byte[] body) throws IOException {
    return bodies.parse(body, TokenRequest.class);
  }

  public PasswordResetRequest readResetRequest(@Body byte[] body) throws IOException {
    return bodies.parse(body, PasswordResetRequest.class);
  }

  public PasswordResetConfirmation readResetConfirmation(@Body byte[] body) throws IOException {
    return bodies.parse(body, PasswordResetConfirmation.class);
  }

  /** POST /verify: spends the token and marks its account's address verified. */
  public Map<String, Object> verify(@Body TokenRequest request) {
    byte[] hash = codec.hashOf(request.token());
    if (tokens.verify(hash, clock.instant()).isEmpty()) {
      throw refusal(hash, AccountToken.VERIFY);
    }
    return Map.of("status", "verified");
  }

  /**
   * POST /password-reset: the same answer whether or not the address has an account (throttled per client like
   * registrations); an account gets a reset link by email.
   */
  public Map<String, Object> requestReset(
      @Body PasswordResetRequest request, @ExchangeProperty("clientAddress") String client) {
    String email = request.email() == null ? "" : Emails.normalize(request.email());
    if (email.isEmpty()) {
      throw ProblemException.badRequest("validation-failed", "'email' is required.");
    }
    if (!RegistrationValidator.validEmail(email)) {
      throw ProblemException.badRequest("validation-failed", "'email' is not a valid email address.");
    }
    resetThrottle.admit(client);
    users.findByEmail(email).ifPresent(user -> {
      String token = codec.newToken();
      tokens.issue(user.id(), AccountToken.PASSWORD_RESET, AccountTokenCodec.sha256(token),
          clock.instant().plus(resetTtl), messages.passwordReset(user, token));
    });
    return Map.of("status", "reset_sent");
  }

  /**
   * POST /password-reset/confirm: checks the new password and the token before hashing (a dead token costs no
   * Argon2 work), then spends the token, sets the password and spends the account's other reset tokens.
   */
  public Map<String, Object> confirmReset(@Body PasswordResetConfirmation confirmation) {
    byte[] hash = codec.hashOf(confirmation.token());
    RegistrationValidator.passwordError(confirmation.password()).ifPresent(error -> {
      throw ProblemException.badRequest("validation-failed", error + ".");
    });
    Optional<AccountToken> found = tokens.find(hash);
    if (!live(found, AccountToken.PASSWORD_RESET, clock.instant())) {
      throw refusal(found, AccountToken.PASSWORD_RESET, clock.instant());
    }
    String passwordHash = hasher.hash(confirmation.password());
    if (tokens.resetPassword(hash, passwordHash, clock.instant()).isEmpty()) {
      throw refusal(hash, AccountToken.PASSWORD_RESET);
    }
    return Map.of("status", "password_changed");
  }

  private ProblemException refusal(byte[] hash, String purpose) {
    return refusal(tokens.find(hash), purpose, clock.instant());
  }

  private static boolean live(Optional<AccountToken> found, String purpose, Instant now) {
    return found.filter(t -> t.purpose().equals(purpose) && t.usedAt() == null && t.expiresAt().isAfter(now))
        .isPresent();
  }

  private static ProblemException refusal(Optional<AccountToken> found, String purpose, Instant now) {
    if (found.isEmpty() || !found.get().purpose().equals(purpose)) {
      return ProblemException.badRequest("invalid-token",
          "The link is not valid; use the latest link from the email, or ask for a new one.");
    }
    if (found.get().usedAt() != null) {
      return ProblemException.gone("token-used", "The link was used already; ask for a new one if you need it.");
    }
    if (!found.get().expiresAt().isAfter(now)) {
      return ProblemException.gone("token-expired", "The link has expired; ask for a new one.");
    }
    // Live a moment ago and refused by the statement: another request spent it just now.
    return ProblemException.gone("token-used", "The link was used already; ask for a new one if you need it.");
  }
}
