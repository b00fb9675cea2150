package com.mp3converter.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.shared.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * The notifier's durable record of sent emails, kept by the gateway (its internal API, see
 * routes/notifier/record.camel.yaml). Resend's Idempotency-Key protects a redelivered event for 24 hours only;
 * the record protects it for as long as the job exists, and it is per job: whichever event of a job comes first
 * is the one email its user gets.
 */
public class NotificationRecord {
  /** Exchange property: true when the gateway has an email recorded for the job (nothing more is sent). */
  public static final String ALREADY_NOTIFIED = "alreadyNotified";

  /** The answer to GET /internal/notifications/{id}: 200 is a record, 404 none (other statuses fail the call). */
  public boolean recorded(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status) {
    return status != null && status == 200;
  }

  /** The body of PUT /internal/notifications/{id} after Resend took the email. */
  public byte[] sent(
      @ExchangeProperty("emailKind") String kind, @ExchangeProperty("resendOutcome") ResendOutcome outcome)
      throws JsonProcessingException {
    return body(kind, outcome.duplicate() ? "duplicate" : "sent", outcome.emailId());
  }

  /** The body of the PUT after Resend refused the email for good (a 4xx validation error, never retried). */
  public byte[] rejected(@ExchangeProperty("emailKind") String kind) throws JsonProcessingException {
    return body(kind, "rejected", null);
  }

  private static byte[] body(String kind, String outcome, String emailId) throws JsonProcessingException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", kind);
    body.put("outcome", outcome);
    if (emailId != null) {
      body.put("emailId", emailId);
    }
    return Json.MESSAGES.writeValueAsBytes(body);
  }
}
