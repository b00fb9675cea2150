package com.mp3converter.gateway.conversions;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionFailed;
import com.mp3converter.shared.messages.ConversionProgress;
import com.mp3converter.shared.messages.DownloadFilenames;
import com.mp3converter.shared.messages.FailureReason;
import java.io.IOException;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * Reads a {@code conversion.started/completed/failed} event into the {@link StatusChange} it makes to its job
 * ({@link Conversions#applyStatus} applies it). An event that can never be applied is an
 * {@link UnreadableStatusEvent}. A completed event's filename goes into a response header later, so only a name the
 * shared rule could have made is kept (anything else is dropped, and the gateway names the file itself).
 */
public final class StatusEvents {
  public static final String ROUTING_KEY = "CamelSpringRabbitmqRoutingKey";
  static final int MAX_MESSAGE_LENGTH = 1000;

  public StatusChange read(@Header(ROUTING_KEY) String routingKey, @Body byte[] body) {
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
    try {
      return switch (status) {
        case PROCESSING -> StatusChange.started(jobId, attempt(event));
        case COMPLETED -> {
          ConversionCompleted completed = Json.MESSAGES.treeToValue(event, ConversionCompleted.class);
          yield StatusChange.completed(jobId, completed.objectKey(), completed.bytes(), completed.durationSeconds(),
              DownloadFilenames.isSafe(completed.filename()) ? completed.filename() : null, completed.attempt());
        }
        case FAILED -> {
          ConversionFailed failed = Json.MESSAGES.treeToValue(event, ConversionFailed.class);
          yield StatusChange.failed(
              jobId, failed.reason() == null ? FailureReason.INTERNAL.code() : failed.reason(), shorten(failed.message()),
              failed.attempt());
        }
        case QUEUED, CANCELLED -> throw new IllegalStateException("no event announces a " + status.code() + " job");
      };
    } catch (IOException e) {
      throw new UnreadableStatusEvent(
          "unreadable " + routingKey + " event for job " + jobId + " (" + e.getMessage() + ")", e);
    }
  }

  /** Reads a {@code conversion.progress} event; one that can never be applied is an {@link UnreadableStatusEvent}. */
  public ProgressChange readProgress(@Body byte[] body) {
    try {
      ConversionProgress progress = Json.MESSAGES.readValue(body == null ? new byte[0] : body, ConversionProgress.class);
      return new ProgressChange(UUID.fromString(String.valueOf(progress.jobId())), Math.max(1, progress.attempt()),
          Math.max(0, Math.min(100, progress.percent())));
    } catch (IOException | IllegalArgumentException e) {
      throw new UnreadableStatusEvent("unreadable progress event (" + e.getMessage() + ")", e);
    }
  }

  /** The event's attempt; events from before attempts existed are about the first. */
  static int attempt(JsonNode event) {
    return Math.max(1, event.path("attempt").asInt(1));
  }

  private static String shorten(String message) {
    if (message == null) {
      return null;
    }
    return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH);
  }
}
