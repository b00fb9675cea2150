package com.mp3converter.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * Reads Resend's answer to {@code POST /emails} and decides what happens next: 2xx (or a replay of an email
 * already sent) is done; 429, 5xx and a concurrent request with the same key are retried, 429 after its
 * {@code retry-after}; any other 4xx is final.
 */
public class ResendResponses {
  private static final int MAX_DETAIL = 300;

  private final Duration maxRetryAfter;

  public ResendResponses(Duration maxRetryAfter) {
    this.maxRetryAfter = maxRetryAfter;
  }

  /** Called by the route right after the HTTP call: the outcome, or the exception that says what happens next. */
  public ResendOutcome check(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Body String body) {
    return interpret(status == null ? 0 : status, body);
  }

  /**
   * For a 429 with {@code retry-after}: how long Camel's redelivery waits (the route sets it as
   * {@link Exchange#REDELIVERY_DELAY}, which takes the place of the backoff); null for any other answer.
   */
  public Long redeliveryDelayMillis(
      @Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Header("Retry-After") String retryAfter) {
    Duration wait = status != null && status == 429 ? retryAfter(retryAfter) : null;
    return wait == null ? null : wait.toMillis();
  }

  ResendOutcome interpret(int status, String body) {
    JsonNode json = parse(body);
    if (status >= 200 && status < 300) {
      return new ResendOutcome(json.path("id").asText(null), false);
    }
    String name = json.path("name").asText("");
    String detail = describe(status, name, json.path("message").asText(""));
    if (status == 409 && name.equals("invalid_idempotent_request")) {
      // The key was used within Resend's 24 h window with another body (a redelivered event whose link was
      // signed anew): the user already has this email.
      return new ResendOutcome(null, true);
    }
    if (status == 429 || status >= 500 || (status == 409 && name.equals("concurrent_idempotent_requests"))) {
      return fail(new ResendRetryableException(status, detail));
    }
    if (status == 401 || status == 403 || status < 400) {
      return fail(new ResendConfigurationException(status, detail));
    }
    return fail(new ResendRejectedException(status, detail));
  }

  /** {@code retry-after} in seconds or as an HTTP date, kept between 0 and the configured maximum. */
  Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(header.strip()));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(Instant.now(), at);
      } catch (DateTimeParseException neither) {
        return null;
      }
    }
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait;
  }

  private static ResendOutcome fail(ResendException e) {
    throw e;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return Json.MESSAGES.missingNode();
    }
    try {
      return Json.MESSAGES.readTree(body);
    } catch (IOException notJson) {
      return Json.MESSAGES.missingNode();
    }
  }

  private static String describe(int status, String name, String message) {
    String detail = "Resend answered " + status + (name.isEmpty() ? "" : " " + name)
        + (message.isEmpty() ? "" : ": " + message);
    return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
  }
}
