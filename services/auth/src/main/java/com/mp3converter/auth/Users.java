package com.mp3converter.auth;

import com.mp3converter.shared.jdbc.CamelJdbc;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;

/**
 * The users table. Routes call it as {@code bean:users?method=...}; its statements run on Camel's JDBC
 * component ({@link CamelJdbc}) and rows come back as {@link User}s.
 */
public final class Users {
  private static final String FIND_BY_EMAIL =
      "SELECT id, email, name, password_hash FROM users WHERE lower(email) = :?email";

  /** The unique index on lower(email) decides a taken email, so two registrations cannot both pass a check. */
  private static final String ADD = """
      INSERT INTO users (id, email, name, password_hash)
      VALUES (:?id, :?email, :?name, :?passwordHash)
      ON CONFLICT DO NOTHING""";

  private final CamelJdbc jdbc;

  public Users(ProducerTemplate camel) {
    this.jdbc = new CamelJdbc(camel);
  }

  /** The user with this (normalised) email, if there is one. */
  public Optional<User> findByEmail(String email) {
    return jdbc.query(FIND_BY_EMAIL, Map.of("email", email)).stream().findFirst().map(Users::user);
  }

  /** Stores a new user; {@code false} when an account with its email already exists (nothing stored). */
  public boolean add(User user) {
    return jdbc.update(ADD, Map.of(
        "id", user.id(), "email", user.email(), "name", user.name(), "passwordHash", user.passwordHash())) > 0;
  }

  private static User user(Map<String, Object> row) {
    return new User((UUID) row.get("id"), (String) row.get("email"), (String) row.get("name"),
        (String) row.get("password_hash"));
  }
}
