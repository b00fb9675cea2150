package com.mp3converter.notifier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The notifier's own meters, every name in one place: emails Resend took ({@code mp3_emails_sent_total}) and
 * emails it refused for good ({@code mp3_emails_failed_total}), by the email's kind. The kind is one of the
 * routes' constants ({@link #KINDS}), never text from an event. Emails whose event was parked in the dead-letter
 * queue after its retries are counted by the route that parks them ({@code mp3_notifier_emails_total} with
 * {@code outcome="dead-lettered"}; its kind may be unknown then), beside the other outcomes of that counter.
 */
public final class NotifierMetrics {
  static final String EMAILS_SENT = "mp3.emails.sent";
  static final String EMAILS_FAILED = "mp3.emails.failed";
  /** The kinds of email there are (the routes' emailKind), registered up front so every series starts at 0. */
  static final List<String> KINDS = List.of("completed", "failed");

  private final MeterRegistry registry;

  public NotifierMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (String kind : KINDS) {
      sentCounter(kind);
      failedCounter(kind);
    }
  }

  /** Resend took the email; a duplicate (it had taken it already, for an earlier delivery) is not a new email. */
  public void sent(String kind, ResendOutcome outcome) {
    if (!outcome.duplicate()) {
      sentCounter(kind).increment();
    }
  }

  /** Resend refused the email for good. */
  public void rejected(String kind) {
    failedCounter(kind).increment();
  }

  private Counter sentCounter(String kind) {
    return Counter.builder(EMAILS_SENT).tag("kind", kind).description("Emails Resend took, by kind")
        .register(registry);
  }

  private Counter failedCounter(String kind) {
    return Counter.builder(EMAILS_FAILED).tag("kind", kind).description("Emails Resend refused for good, by kind")
        .register(registry);
  }
}
