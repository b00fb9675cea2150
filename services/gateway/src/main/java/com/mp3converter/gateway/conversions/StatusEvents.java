package com.mp3converter.gateway.conversions;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionFailed;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * Turns a {@code conversion.started/completed/failed} event into the parameters of the one guarded UPDATE that
 * applies it: the new status and rank, and the columns that state carries. Columns of other states are null;
 * they are null in every earlier state too, because a job only ever moves forward.
 */
public final class StatusEvents {
  public static final String ROUTING_KEY = "CamelSpringRabbitmqRoutingKey";
  static final int MAX_MESSAGE_LENGTH = 1000;

  private final Clock clock;

  public StatusEvents(Clock clock) {
    this.clock = clock;
  }

  public Map<String, Object> update(@Header(ROUTING_KEY) String routingKey, @Body byte[] body) {
    JobStatus status = JobStatus.fromRoutingKey(routingKey)
        .orElseThrow(() -> new UnreadableStatusEvent("routing key " + routingKey + " is not a status event", null));
    JsonNode event;
    UUID jobId;
    try {
      event = Json.MESSAGES.readTree(body == null ? new byte[0] : body);
      jobId = UUID.fromString(event.path("jobId").asText());
    } catch (IOException | IllegalArgumentException e) {
      throw new UnreadableStatusEvent("unreadable " + routingKey + " event (" + e.getMessage() + ")", e);
    }
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("jobId", jobId);
    parameters.put("status", status.code());
    parameters.put("rank", status.rank());
    parameters.put("updatedAt", clock.instant().atOffset(ZoneOffset.UTC));
    parameters.put("publishedAt", parameters.get("updatedAt"));
    parameters.put("objectKey", null);
    parameters.put("bytes", null);
    parameters.put("durationSeconds", null);
    parameters.put("errorReason", null);
    parameters.put("errorMessage", null);
    try {
      if (status == JobStatus.COMPLETED) {
        ConversionCompleted completed = Json.MESSAGES.treeToValue(event, ConversionCompleted.class);
        parameters.put("objectKey", completed.objectKey());
        parameters.put("bytes", completed.bytes());
        parameters.put("durationSeconds", completed.durationSeconds());
      } else if (status == JobStatus.FAILED) {
        ConversionFailed failed = Json.MESSAGES.treeToValue(event, ConversionFailed.class);
        parameters.put("errorReason", failed.reason() == null ? "internal_error" : failed.reason());
        parameters.put("errorMessage", shorten(failed.message()));
      }
    } catch (IOException e) {
      throw new UnreadableStatusEvent("unreadable " + routingKey + " event for job " + jobId + " (" + e.getMessage() + ")", e);
    }
    return parameters;
  }

  private static String shorten(String message) {
    if (message == null) {
      return null;
    }
    return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH);
  }
}
