package com.mp3converter.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.jdbc.JdbcConstants;

/**
 * The users table. Routes call it as {@code bean:users?method=...}; its statements run on Camel's JDBC
 * component ({@link #run}, the one place that talks to the database) and rows come back as {@link User}s.
 */
public final class Users {
  /** Named parameters ({@code :?name}) are taken from the headers of the exchange sent. */
  static final String JDBC = "jdbc:dataSource?useHeadersAsParameters=true";

  private static final String FIND_BY_EMAIL =
      "SELECT id, email, name, password_hash FROM users WHERE lower(email) = :?email";

  /** The unique index on lower(email) decides a taken email, so two registrations cannot both pass a check. */
  private static final String ADD = """
      INSERT INTO users (id, email, name, password_hash)
      VALUES (:?id, :?email, :?name, :?passwordHash)
      ON CONFLICT DO NOTHING""";

  private final ProducerTemplate camel;

  public Users(ProducerTemplate camel) {
    this.camel = camel;
  }

  /** The user with this (normalised) email, if there is one. */
  public Optional<User> findByEmail(String email) {
    List<?> rows = run(FIND_BY_EMAIL, Map.of("email", email)).getBody(List.class);
    return rows.stream().findFirst().map(row -> user((Map<?, ?>) row));
  }

  /** Stores a new user; {@code false} when an account with its email already exists (nothing stored). */
  public boolean add(User user) {
    Message result = run(ADD, Map.of(
        "id", user.id(), "email", user.email(), "name", user.name(), "passwordHash", user.passwordHash()));
    return result.getHeader(JdbcConstants.JDBC_UPDATE_COUNT, 0, Integer.class) > 0;
  }

  private Message run(String sql, Map<String, Object> parameters) {
    Exchange done = camel.send(JDBC, exchange -> {
      exchange.getIn().setBody(sql);
      exchange.getIn().setHeaders(new HashMap<>(parameters));
    });
    if (done.getException() != null) {
      throw RuntimeCamelException.wrapRuntimeException(done.getException());
    }
    return done.getMessage();
  }

  private static User user(Map<?, ?> row) {
    return new User((UUID) row.get("id"), (String) row.get("email"), (String) row.get("name"),
        (String) row.get("password_hash"));
  }
}
