package com.mp3converter.auth;

import com.mp3converter.shared.jdbc.CamelJdbc;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;

/**
 * The users table (new users are stored with their verification token: {@link AccountTokens#register}). Routes call it as {@code bean:users?method=...}; its statements run on Camel's JDBC
 * component ({@link CamelJdbc}) and rows come back as {@link User}s.
 */
public final class Users {
  private static final String FIND_BY_EMAIL =
      """
      SELECT id, email, name, password_hash, email_verified_at IS NOT NULL AS email_verified
      FROM users WHERE lower(email) = :?email""";

  private final CamelJdbc jdbc;

  public Users(ProducerTemplate camel) {
    this.jdbc = new CamelJdbc(camel);
  }

  /** The user with this (normalised) email, if there is one. */
  public Optional<User> findByEmail(String email) {
    return jdbc.query(FIND_BY_EMAIL, Map.of("email", email)).stream().findFirst().map(Users::user);
  }

  private static User user(Map<String, Object> row) {
    return new User((UUID) row.get("id"), (String) row.get("email"), (String) row.get("name"),
        (String) row.get("password_hash"), (Boolean) row.get("email_verified"));
  }
}
