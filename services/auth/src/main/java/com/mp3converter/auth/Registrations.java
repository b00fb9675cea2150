package com.mp3converter.auth;

import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/** The steps of the register route that need code: the request, the user to store and the answers. */
public final class Registrations {
  private final RequestBodies bodies;
  private final PasswordHasher hasher;
  private final RegistrationThrottle throttle;

  public Registrations(RequestBodies bodies, PasswordHasher hasher, RegistrationThrottle throttle) {
    this.bodies = bodies;
    this.hasher = hasher;
    this.throttle = throttle;
  }

  /** The body, read by the shared strict reader (size, depth and length caps; unknown fields and types). */
  public RegisterRequest read(@Body byte[] body) throws IOException {
    return bodies.parse(body, RegisterRequest.class);
  }

  /**
   * The user to store: a new id and the password's Argon2id hash (the slow step of a registration), once the
   * client's registration throttle lets it through; the hash counts against the client (one that never ran
   * does not).
   */
  public User newUser(@Body Registration registration, @ExchangeProperty("clientAddress") String client) {
    throttle.admit(client);
    String hash;
    try {
      hash = hasher.hash(registration.password());
    } catch (RuntimeException notHashed) {
      throttle.abandoned(client);
      throw notHashed;
    }
    return new User(UUID.randomUUID(), registration.email(), registration.name(), hash);
  }

  /**
   * Answers whether the user was stored: not stored means an account with its email already exists (the store's
   * unique index decided, so a concurrent registration of the same address cannot slip between a check and the
   * insert).
   */
  public Map<String, Object> created(@Body boolean stored, @ExchangeProperty("user") User user) {
    if (!stored) {
      throw ProblemException.conflict("email-taken", "An account with this email address already exists.");
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", user.id().toString());
    answer.put("email", user.email());
    answer.put("name", user.name());
    return answer;
  }
}
