package com.mp3converter.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * The question the notifier asks the gateway before each email (routes/notifier/email-check.camel.yaml), and its
 * answer: may the {@code kind} email of this attempt of the job go out?
 */
public final class EmailChecks {

  public byte[] request(@ExchangeProperty("jobId") String jobId, @ExchangeProperty("emailKind") String kind,
      @ExchangeProperty("attempt") Integer attempt) throws JsonProcessingException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("conversionId", jobId);
    body.put("kind", kind);
    body.put("attempt", attempt == null ? 1 : attempt);
    return Json.MESSAGES.writeValueAsBytes(body);
  }

  /** True only for an explicit {@code {"send": true}}. */
  public boolean allowed(@Body byte[] answer) throws IOException {
    JsonNode node = Json.MESSAGES.readTree(answer == null ? new byte[0] : answer);
    return node != null && node.path("send").asBoolean(false);
  }
}
