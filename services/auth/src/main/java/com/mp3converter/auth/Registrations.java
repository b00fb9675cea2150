package com.mp3converter.auth;

import com.mp3converter.shared.json.RequestBodies;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * The steps of the register route that need code. Whether the address is new or has an account, the caller gets
 * the same answer after the same work (the throttle, an Argon2 hash, one email queued): no account enumeration.
 * A new address gets an account and a verification link; a known, unverified one a fresh verification link; a
 * known, verified one an "you already have an account" email with a hint to reset the password.
 */
public final class Registrations {
  private final RequestBodies bodies;
  private final PasswordHasher hasher;
  private final RegistrationThrottle throttle;
  private final AccountTokenCodec codec;
  private final AccountTokens tokens;
  private final Users users;
  private final Outbox outbox;
  private final AccountMessages messages;
  private final Duration verifyTtl;
  private final Clock clock;

  public Registrations(RequestBodies bodies, PasswordHasher hasher, RegistrationThrottle throttle,
      AccountTokenCodec codec, AccountTokens tokens, Users users, Outbox outbox, AccountMessages messages,
      Duration verifyTtl, Clock clock) {
    this.bodies = bodies;
    this.hasher = hasher;
    this.throttle = throttle;
    this.codec = codec;
    this.tokens = tokens;
    this.users = users;
    this.outbox = outbox;
    this.messages = messages;
    this.verifyTtl = verifyTtl;
    this.clock = clock;
  }

  /** The body, read by the shared strict reader (size, depth and length caps; unknown fields and types). */
  public RegisterRequest read(@Body byte[] body) throws IOException {
    return bodies.parse(body, RegisterRequest.class);
  }

  /**
   * Registers the address once the client's registration throttle lets it through. The password is hashed in
   * every case (the slow step; one that never ran does not count against the client), so a known address takes
   * as long as a new one.
   */
  public Map<String, Object> register(
      @Body Registration registration, @ExchangeProperty("clientAddress") String client) {
    throttle.admit(client);
    String hash;
    try {
      hash = hasher.hash(registration.password());
    } catch (RuntimeException notHashed) {
      throttle.abandoned(client);
      throw notHashed;
    }
    User user = new User(UUID.randomUUID(), registration.email(), registration.name(), hash, false);
    String token = codec.newToken();
    Instant expiresAt = clock.instant().plus(verifyTtl);
    // The users table's unique index decides a taken address, so concurrent registrations create one user.
    if (!tokens.register(user, AccountTokenCodec.sha256(token), expiresAt, messages.verify(user, token))) {
      Optional<User> existing = users.findByEmail(registration.email());
      // Empty only if the account was deleted in between: then there is nobody to write to.
      existing.ifPresent(known -> {
        if (known.emailVerified()) {
          outbox.add(messages.alreadyRegistered(known));
        } else {
          tokens.issue(known.id(), AccountToken.VERIFY, AccountTokenCodec.sha256(token), expiresAt,
              messages.verify(known, token));
        }
      });
    }
    return Map.of("status", "verification_sent");
  }
}
