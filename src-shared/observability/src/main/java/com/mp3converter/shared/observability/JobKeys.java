package com.mp3converter.shared.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * Which job and which user an exchange is about, read from what the routes already carry: the exchange
 * properties {@code job} (the gateway's and the worker's job message), {@code event} (the notifier's event), the
 * body (a message as it arrived from RabbitMQ, JSON bytes, is read once), and {@code user} (the gateway's caller,
 * for the user alone). A value counts when it is a record or a map
 * with a {@code jobId} or {@code userId}; nothing else about it is read (the email never is). Once found, the ids
 * stay with the exchange, so later steps that replace the body keep them.
 */
public final class JobKeys {
  /** The exchange properties the ids are kept in once found. */
  static final String JOB_ID_PROPERTY = "mp3.log.jobId";
  static final String USER_ID_PROPERTY = "mp3.log.userId";

  static final String JSON_BODY_READ_PROPERTY = "mp3.log.jsonBodyRead";
  /** Larger bodies are not messages of the job's (an upload, a file): they are not read for ids. */
  private static final int MAX_JSON_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String JOB_ID = "jobId";
  private static final String USER_ID = "userId";
  private static final String[] CANDIDATE_PROPERTIES = {"job", "event"};

  private static final ClassValue<Accessors> ACCESSORS = new ClassValue<>() {
    @Override
    protected Accessors computeValue(Class<?> type) {
      return Accessors.of(type);
    }
  };

  private JobKeys() {}

  /** The job's and user's ids, each null while unknown. */
  public record Ids(String jobId, String userId) {
    boolean complete() {
      return jobId != null && userId != null;
    }

    Ids orElse(Ids other) {
      return new Ids(jobId != null ? jobId : other.jobId, userId != null ? userId : other.userId);
    }
  }

  /** The ids of the job this exchange handles, remembered on the exchange for the steps after this one. */
  public static Ids of(Exchange exchange) {
    Ids ids = new Ids(exchange.getProperty(JOB_ID_PROPERTY, String.class),
        exchange.getProperty(USER_ID_PROPERTY, String.class));
    for (String property : CANDIDATE_PROPERTIES) {
      if (ids.complete()) {
        break;
      }
      ids = ids.orElse(read(exchange.getProperty(property)));
    }
    if (!ids.complete()) {
      Object body = exchange.getMessage().getBody();
      if (body instanceof byte[] bytes && !exchange.getProperty(JSON_BODY_READ_PROPERTY, false, Boolean.class)) {
        // A message as it arrived (the consumers' first steps): read once, before a step turns it into a record.
        exchange.setProperty(JSON_BODY_READ_PROPERTY, true);
        ids = ids.orElse(readJson(bytes));
      } else {
        ids = ids.orElse(read(body));
      }
    }
    if (ids.userId() == null) {
      ids = ids.orElse(read(exchange.getProperty("user")));
    }
    if (ids.jobId() != null) {
      exchange.setProperty(JOB_ID_PROPERTY, ids.jobId());
    }
    if (ids.userId() != null) {
      exchange.setProperty(USER_ID_PROPERTY, ids.userId());
    }
    return ids;
  }

  static Ids read(Object value) {
    if (value == null) {
      return new Ids(null, null);
    }
    if (value instanceof Map<?, ?> map) {
      return new Ids(text(map.get(JOB_ID)), text(map.get(USER_ID)));
    }
    return ACCESSORS.get(value.getClass()).read(value);
  }

  /** The top-level jobId and userId of a JSON object; nothing for anything else. */
  static Ids readJson(byte[] body) {
    if (body.length == 0 || body.length > MAX_JSON_BYTES || body[0] != '{') {
      return new Ids(null, null);
    }
    try {
      JsonNode tree = JSON.readTree(body);
      return new Ids(textual(tree.get(JOB_ID)), textual(tree.get(USER_ID)));
    } catch (IOException e) {
      return new Ids(null, null);
    }
  }

  private static String textual(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static String text(Object value) {
    return value instanceof String || value instanceof java.util.UUID ? value.toString() : null;
  }

  /** A record type's jobId and userId accessors, where it has them. */
  private record Accessors(Optional<MethodHandle> jobId, Optional<MethodHandle> userId) {
    static Accessors of(Class<?> type) {
      if (!type.isRecord()) {
        return new Accessors(Optional.empty(), Optional.empty());
      }
      return new Accessors(accessor(type, JOB_ID), accessor(type, USER_ID));
    }

    private static Optional<MethodHandle> accessor(Class<?> type, String name) {
      for (RecordComponent component : type.getRecordComponents()) {
        if (component.getName().equals(name)) {
          try {
            return Optional.of(MethodHandles.publicLookup().unreflect(component.getAccessor()));
          } catch (IllegalAccessException e) {
            // A record that is not public keeps its ids to itself.
            return Optional.empty();
          }
        }
      }
      return Optional.empty();
    }

    Ids read(Object value) {
      return new Ids(call(jobId, value), call(userId, value));
    }

    private static String call(Optional<MethodHandle> accessor, Object value) {
      if (accessor.isEmpty()) {
        return null;
      }
      try {
        return text(accessor.get().invoke(value));
      } catch (Throwable e) {
        return null;
      }
    }
  }
}
