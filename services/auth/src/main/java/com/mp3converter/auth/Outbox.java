package com.mp3converter.auth;

import com.mp3converter.shared.jdbc.CamelJdbc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;

/**
 * The outbox table: messages for RabbitMQ written with the change they report, published by the relay route
 * (outbox.camel.yaml) and deleted once the broker confirmed them. Several replicas may publish the same row
 * before one deletes it: consumers are idempotent on the message's id (at least once).
 */
public final class Outbox {
  private static final String ADD = """
      INSERT INTO outbox (id, user_id, routing_key, payload)
      VALUES (CAST(:?id AS uuid), CAST(:?userId AS uuid), :?routingKey, :?payload)""";

  private static final String PENDING = """
      SELECT id, user_id, routing_key, payload FROM outbox ORDER BY created_at LIMIT 100""";

  private static final String REMOVE = "DELETE FROM outbox WHERE id = CAST(:?id AS uuid)";

  /**
   * Deletes the user (their tokens go with them, ON DELETE CASCADE) and their unsent emails, and writes the
   * account.deleted message, in one statement.
   */
  private static final String DELETE_ACCOUNT = """
      WITH gone AS (
        DELETE FROM users WHERE id = CAST(:?userId AS uuid) RETURNING id),
      unsent AS (
        DELETE FROM outbox WHERE user_id IN (SELECT id FROM gone)),
      message AS (
        INSERT INTO outbox (id, user_id, routing_key, payload)
        SELECT CAST(:?id AS uuid), id, :?routingKey, :?payload FROM gone)
      SELECT id FROM gone""";

  private final CamelJdbc jdbc;

  public Outbox(ProducerTemplate camel) {
    this.jdbc = new CamelJdbc(camel);
  }

  /** A message that reports no other change of this database (the "already registered" email). */
  public void add(OutboxMessage message) {
    jdbc.update(ADD, parameters(message));
  }

  /** The oldest messages not yet confirmed by the broker. */
  public List<OutboxMessage> pending() {
    return jdbc.query(PENDING, Map.of()).stream().map(row -> new OutboxMessage((UUID) row.get("id"),
        (UUID) row.get("user_id"), (String) row.get("routing_key"), (String) row.get("payload"))).toList();
  }

  /** The broker confirmed the message. */
  public void remove(@ExchangeProperty("outboxMessage") OutboxMessage message) {
    jdbc.update(REMOVE, Map.of("id", message.id().toString()));
  }

  /**
   * Deletes the account and records {@code deleted} in the outbox.
   *
   * @return the deleted user, or empty when there was no such user
   */
  public Optional<UUID> deleteAccount(@Body OutboxMessage deleted) {
    return jdbc.query(DELETE_ACCOUNT, parameters(deleted)).stream().findFirst().map(row -> (UUID) row.get("id"));
  }

  private static Map<String, Object> parameters(OutboxMessage message) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("id", message.id().toString());
    parameters.put("userId", message.userId().toString());
    parameters.put("routingKey", message.routingKey());
    parameters.put("payload", message.payload());
    return parameters;
  }
}
