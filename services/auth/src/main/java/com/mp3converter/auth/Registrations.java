package com.mp3converter.auth;

import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Headers;

/** The steps of the register route that need code: the request, the row to insert and the answers. */
public final class Registrations {
  private final RequestBodies bodies;
  private final PasswordHasher hasher;

  public Registrations(RequestBodies bodies, PasswordHasher hasher) {
    this.bodies = bodies;
    this.hasher = hasher;
  }

  /** The body, read by the shared strict reader (size, depth and length caps; unknown fields and types). */
  public RegisterRequest read(@Body byte[] body) throws IOException {
    return bodies.parse(body, RegisterRequest.class);
  }

  /** Puts the new row's columns into the headers that the INSERT statement names. */
  public void prepareInsert(@Body Registration registration, @Headers Map<String, Object> headers) {
    headers.put("userId", UUID.randomUUID());
    headers.put("email", registration.email());
    headers.put("name", registration.name());
    headers.put("passwordHash", hasher.hash(registration.password()));
  }

  /**
   * Answers the outcome of {@code INSERT ... ON CONFLICT DO NOTHING}: no row inserted means the unique index on
   * the email refused it, so a concurrent registration of the same address cannot slip between a check and the
   * insert.
   */
  public Map<String, Object> created(
      @Header("CamelJdbcUpdateCount") Integer inserted,
      @Header("userId") UUID id,
      @Header("email") String email,
      @Header("name") String name) {
    if (inserted == null || inserted == 0) {
      throw ProblemException.conflict("email-taken", "An account with this email address already exists.");
    }
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", id.toString());
    user.put("email", email);
    user.put("name", name);
    return user;
  }
}
