package com.mp3converter.gateway.conversions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.web.Authenticator;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * {@code GET /conversions/{id}} and {@code GET /conversions}: query parameters for the user's own rows, and the
 * JSON views of those rows. Another user's job is answered exactly like a job that does not exist (404).
 */
public final class ConversionViews {
  public static final String PAGE_LIMIT = "pageLimit";
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  public Map<String, Object> findParameters(Exchange exchange) {
    AccessClaims user = exchange.getProperty(Authenticator.USER, AccessClaims.class);
    UUID id = jobId(exchange.getIn().getHeader("id", String.class));
    return Map.of("id", id, "userId", UUID.fromString(user.userId()));
  }

  public Map<String, Object> pageParameters(Exchange exchange) {
    AccessClaims user = exchange.getProperty(Authenticator.USER, AccessClaims.class);
    int limit = limit(exchange.getIn().getHeader("limit", String.class));
    String cursorParameter = exchange.getIn().getHeader("cursor", String.class);
    PageCursor cursor = cursorParameter == null || cursorParameter.isEmpty()
        ? PageCursor.START
        : PageCursor.decode(cursorParameter);
    exchange.setProperty(PAGE_LIMIT, limit);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("userId", UUID.fromString(user.userId()));
    parameters.put("beforeCreatedAt", cursor.createdAt().atOffset(ZoneOffset.UTC));
    parameters.put("beforeId", cursor.id());
    // One row more than asked tells whether there is a next page.
    parameters.put("fetch", limit + 1);
    return parameters;
  }

  public byte[] one(List<Map<String, Object>> rows) throws JsonProcessingException {
    if (rows == null || rows.isEmpty()) {
      throw ProblemException.notFound("No conversion with this id.");
    }
    return Json.MESSAGES.writeValueAsBytes(view(rows.get(0)));
  }

  public byte[] page(List<Map<String, Object>> rows, @ExchangeProperty(PAGE_LIMIT) int limit)
      throws JsonProcessingException {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      items.add(view(rows.get(i)));
    }
    String next = null;
    if (rows.size() > limit) {
      Map<String, Object> last = rows.get(limit - 1);
      next = new PageCursor(instant(last.get("created_at")), (UUID) last.get("id")).encode();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("next", next);
    return Json.MESSAGES.writeValueAsBytes(body);
  }

  static Map<String, Object> view(Map<String, Object> row) {
    Map<String, Object> view = new LinkedHashMap<>();
    String status = (String) row.get("status");
    view.put("id", row.get("id").toString());
    view.put("status", status);
    view.put("sourceUrl", row.get("source_url"));
    view.put("bitrate", row.get("bitrate"));
    view.put("createdAt", instant(row.get("created_at")).toString());
    view.put("updatedAt", instant(row.get("updated_at")).toString());
    if (JobStatus.COMPLETED.code().equals(status)) {
      view.put("bytes", row.get("bytes"));
      view.put("durationSeconds", row.get("duration_seconds"));
    }
    if (JobStatus.FAILED.code().equals(status)) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("reason", row.get("error_reason"));
      error.put("message", row.get("error_message"));
      view.put("error", error);
    }
    return view;
  }

  /** A job id from the path; anything that is not a UUID cannot name a job, so it is a 404 like any unknown id. */
  static UUID jobId(String id) {
    try {
      if (id != null && id.length() == 36) {
        return UUID.fromString(id);
      }
    } catch (IllegalArgumentException malformed) {
      // answered below
    }
    throw ProblemException.notFound("No conversion with this id.");
  }

  static int limit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw ProblemException.badRequest(
        "invalid-limit", "Parameter 'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
  }

  static Instant instant(Object value) {
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant();
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant();
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    throw new IllegalStateException("not a timestamp: " + value);
  }
}
