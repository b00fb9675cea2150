package com.mp3converter.auth;

import java.util.UUID;

/** A row of the outbox: a message for RabbitMQ, written with the change it reports (see {@link Outbox}). */
public record OutboxMessage(UUID id, UUID userId, String routingKey, String payload) {
  @Override
  public String toString() {
    return "OutboxMessage[id=" + id + ", userId=" + userId + ", routingKey=" + routingKey + "]";
  }
}
