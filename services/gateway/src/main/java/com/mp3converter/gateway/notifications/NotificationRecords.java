package com.mp3converter.gateway.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * The notifier's durable record of the emails it sent, kept in the gateway's database behind the internal API
 * (routes/gateway/notifications.camel.yaml): {@code GET /internal/notifications/{id}} before an email is
 * composed, {@code PUT /internal/notifications/{id}} once Resend took it or refused it for good. One record per
 * job, the first one wins: a job gets one email, whichever of its events comes first, however often they are
 * delivered and however late (Resend's own idempotency keys expire after 24 hours).
 */
public final class NotificationRecords {
  /** The body of the PUT: which email it was and how Resend answered. */
  public record Notification(String kind, String outcome, String emailId) {}

  static final Set<String> KINDS = Set.of("completed", "failed");
  static final Set<String> OUTCOMES = Set.of("sent", "duplicate", "rejected");
  static final int MAX_EMAIL_ID_LENGTH = 256;

  private final RequestBodies bodies;
  private final Clock clock;

  public NotificationRecords(RequestBodies bodies, Clock clock) {
    this.bodies = bodies;
    this.clock = clock;
  }

  public Map<String, Object> findParameters(@Header("id") String id) {
    return Map.of("id", conversionId(id));
  }

  /** 200 with the record, or 404: nothing was sent for this job yet. */
  public byte[] view(List<Map<String, Object>> rows) throws JsonProcessingException {
    if (rows == null || rows.isEmpty()) {
      throw ProblemException.notFound("No email was recorded for this conversion.");
    }
    Map<String, Object> row = rows.get(0);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("conversionId", row.get("conversion_id").toString());
    body.put("kind", row.get("kind"));
    body.put("outcome", row.get("outcome"));
    body.put("emailId", row.get("email_id"));
    body.put("recordedAt", recordedAt(row.get("recorded_at")));
    return Json.MESSAGES.writeValueAsBytes(body);
  }

  public Map<String, Object> recordParameters(Exchange exchange) throws IOException {
    UUID id = conversionId(exchange.getIn().getHeader("id", String.class));
    Notification notification = bodies.read(exchange, Notification.class);
    if (notification.kind() == null || !KINDS.contains(notification.kind())) {
      throw ProblemException.badRequest("invalid-notification", "Field 'kind' must be one of " + KINDS + ".");
    }
    if (notification.outcome() == null || !OUTCOMES.contains(notification.outcome())) {
      throw ProblemException.badRequest("invalid-notification", "Field 'outcome' must be one of " + OUTCOMES + ".");
    }
    if (notification.emailId() != null && notification.emailId().length() > MAX_EMAIL_ID_LENGTH) {
      throw ProblemException.badRequest("invalid-notification", "Field 'emailId' is too long.");
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("id", id);
    parameters.put("kind", notification.kind());
    parameters.put("outcome", notification.outcome());
    parameters.put("emailId", notification.emailId());
    parameters.put("recordedAt", clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
    return parameters;
  }

  /** A malformed id names no conversion: 404 like an unknown one. */
  private static UUID conversionId(String id) {
    try {
      return UUID.fromString(id == null ? "" : id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("No such conversion.");
    }
  }

  private static String recordedAt(Object value) {
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant().toString();
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant().toString();
    }
    return String.valueOf(value);
  }
}
