package com.mp3converter.auth;

import com.mp3converter.shared.jdbc.CamelJdbc;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;

/**
 * The account_tokens table: the stored (hashed) single-use tokens of verification and reset links. Every change
 * that must be emailed or reported writes its outbox row in the same statement (a data-modifying CTE), so the
 * token, the user's change and the message are stored together or not at all.
 */
public final class AccountTokens {
  private static final String REGISTER = """
      WITH new_user AS (
        INSERT INTO users (id, email, name, password_hash)
        VALUES (CAST(:?userId AS uuid), :?email, :?name, :?passwordHash)
        ON CONFLICT DO NOTHING
        RETURNING id),
      token AS (
        INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at)
        SELECT :?tokenHash, id, 'verify', :?expiresAt FROM new_user),
      message AS (
        INSERT INTO outbox (id, user_id, routing_key, payload)
        SELECT CAST(:?messageId AS uuid), id, :?routingKey, :?payload FROM new_user)
      SELECT id FROM new_user""";

  private static final String ISSUE = """
      WITH token AS (
        INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at)
        VALUES (:?tokenHash, CAST(:?userId AS uuid), :?purpose, :?expiresAt))
      INSERT INTO outbox (id, user_id, routing_key, payload)
      VALUES (CAST(:?messageId AS uuid), CAST(:?userId AS uuid), :?routingKey, :?payload)""";

  private static final String FIND = """
      SELECT user_id, purpose, expires_at, used_at FROM account_tokens WHERE token_hash = :?tokenHash""";

  /** Spends a live verification token and marks its user's address verified (kept if it was already). */
  private static final String VERIFY = """
      WITH spent AS (
        UPDATE account_tokens SET used_at = :?now
        WHERE token_hash = :?tokenHash AND purpose = 'verify' AND used_at IS NULL AND expires_at > :?now
        RETURNING user_id)
      UPDATE users SET email_verified_at = coalesce(email_verified_at, :?now)
      FROM spent WHERE users.id = spent.user_id
      RETURNING users.id""";

  /**
   * Spends a live reset token, sets the password (the link proved the address too) and spends the user's other
   * reset tokens: a link sent before the password changed no longer works.
   */
  private static final String RESET = """
      WITH spent AS (
        UPDATE account_tokens SET used_at = :?now
        WHERE token_hash = :?tokenHash AND purpose = 'password-reset' AND used_at IS NULL AND expires_at > :?now
        RETURNING user_id),
      changed AS (
        UPDATE users SET password_hash = :?passwordHash, email_verified_at = coalesce(email_verified_at, :?now)
        FROM spent WHERE users.id = spent.user_id
        RETURNING users.id),
      others AS (
        UPDATE account_tokens SET used_at = :?now FROM changed
        WHERE account_tokens.user_id = changed.id AND account_tokens.purpose = 'password-reset'
          AND account_tokens.used_at IS NULL AND account_tokens.token_hash <> :?tokenHash)
      SELECT id FROM changed""";

  /** Spent and expired tokens are kept a day (so they answer 410, not 400), then deleted. */
  private static final String REMOVE_OLD = """
      DELETE FROM account_tokens WHERE expires_at < now() - interval '1 day'""";

  private final CamelJdbc jdbc;

  public AccountTokens(ProducerTemplate camel) {
    this.jdbc = new CamelJdbc(camel);
  }

  /**
   * Stores a new user with its verification token and the verification email.
   *
   * @return false when an account with the email exists: then nothing was stored
   */
  public boolean register(User user, byte[] tokenHash, Instant expiresAt, OutboxMessage email) {
    Map<String, Object> parameters = message(email);
    parameters.put("userId", user.id().toString());
    parameters.put("email", user.email());
    parameters.put("name", user.name());
    parameters.put("passwordHash", user.passwordHash());
    parameters.put("tokenHash", tokenHash);
    parameters.put("expiresAt", Timestamp.from(expiresAt));
    return !jdbc.query(REGISTER, parameters).isEmpty();
  }

  /** Stores a token for an existing user together with the email that carries it. */
  public void issue(UUID userId, String purpose, byte[] tokenHash, Instant expiresAt, OutboxMessage email) {
    Map<String, Object> parameters = message(email);
    parameters.put("userId", userId.toString());
    parameters.put("purpose", purpose);
    parameters.put("tokenHash", tokenHash);
    parameters.put("expiresAt", Timestamp.from(expiresAt));
    jdbc.update(ISSUE, parameters);
  }

  public Optional<AccountToken> find(byte[] tokenHash) {
    return jdbc.query(FIND, Map.of("tokenHash", tokenHash)).stream().findFirst().map(row -> new AccountToken(
        (UUID) row.get("user_id"), (String) row.get("purpose"), instant(row.get("expires_at")),
        instant(row.get("used_at"))));
  }

  /** @return the verified user, or empty when the token is not a live verification token */
  public Optional<UUID> verify(byte[] tokenHash, Instant now) {
    return firstId(jdbc.query(VERIFY, Map.of("tokenHash", tokenHash, "now", Timestamp.from(now))));
  }

  /** @return the user whose password changed, or empty when the token is not a live reset token */
  public Optional<UUID> resetPassword(byte[] tokenHash, String passwordHash, Instant now) {
    return firstId(jdbc.query(RESET,
        Map.of("tokenHash", tokenHash, "passwordHash", passwordHash, "now", Timestamp.from(now))));
  }

  /** Deletes the tokens that expired more than a day ago (the cleanup route). */
  public int removeExpired() {
    return jdbc.update(REMOVE_OLD, Map.of());
  }

  private static Map<String, Object> message(OutboxMessage email) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("messageId", email.id().toString());
    parameters.put("routingKey", email.routingKey());
    parameters.put("payload", email.payload());
    return parameters;
  }

  private static Optional<UUID> firstId(List<Map<String, Object>> rows) {
    return rows.stream().findFirst().map(row -> (UUID) row.get("id"));
  }

  static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant();
    }
    if (value instanceof java.time.OffsetDateTime offset) {
      return offset.toInstant();
    }
    throw new IllegalStateException("not a timestamp: " + value.getClass());
  }
}
