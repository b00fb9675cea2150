package com.mp3converter.notifier;

import com.mp3converter.shared.jdbc.CamelJdbc;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;

/**
 * The notifier's record of the one email each job gets: table {@code sent_emails} in its own database
 * (db/migration/notifier), one row per job and attempt (a retried job's new attempt gets its own email; events
 * carry their attempt, property {@code attempt}). The event routes claim the job's email before anything is fetched or
 * sent, and the send records how Resend answered:
 *
 * <ul>
 *   <li>{@link #claim} inserts a {@code sending} row unless the job has one, in one statement, so of the events
 *       that race for a job (its completed and failed events, the same event delivered twice, on any number of
 *       consumers) exactly one kind wins. The claim is granted to every event of that kind while the row is
 *       still {@code sending}: the first delivery may have died before or after Resend took the email, and the
 *       Idempotency-Key {@code conversion-{jobId}-{kind}} makes Resend send it once however often it is asked
 *       (within its 24 hours).
 *   <li>{@link #sent} and {@link #rejected} finish the row; from then on no event of the job sends anything,
 *       however late it comes.
 * </ul>
 *
 * <p>Every statement goes through camel-jdbc ({@link CamelJdbc}); a failing one keeps its SQLException as the
 * cause, which the routes' error policy retries. Rows are never deleted (one small row per job).
 */
public class SentEmails {
  /** How far a job's email got. */
  public enum Status {
    /** Claimed; Resend's answer is not recorded (in flight, or the delivery that claimed it died). */
    SENDING,
    /** Resend took it. */
    SENT,
    /** Resend had taken it already under the same Idempotency-Key (an earlier delivery sent it). */
    DUPLICATE,
    /** Resend refused it for good (a 4xx validation error); sending it again cannot help. */
    REJECTED;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Status of(Object column) {
      return valueOf(String.valueOf(column).toUpperCase(Locale.ROOT));
    }
  }

  /**
   * A job's row.
   *
   * @param kind the email the job gets: {@code completed} or {@code failed}, whichever event claimed it first
   * @param emailId Resend's id of the email, once it answered with one
   * @param claimedAt when the email was claimed
   */
  public record SentEmail(String jobId, String kind, Status status, String emailId, OffsetDateTime claimedAt) {}

  /**
   * The answer to a claim.
   *
   * @param email the job's row after the claim (this event's, or the one an earlier event made)
   * @param granted true when this event is to send the email: the row is of its kind and still {@code sending}
   */
  public record Claim(SentEmail email, boolean granted) {}

  private final CamelJdbc jdbc;
  private final NotifierMetrics metrics;

  public SentEmails(ProducerTemplate producer, NotifierMetrics metrics) {
    this.jdbc = new CamelJdbc(producer);
    this.metrics = metrics;
  }

  /** Claims the job's one email for this kind, unless the job has a row already; answers whether to send it. */
  public Claim claim(@ExchangeProperty("jobId") String jobId, @ExchangeProperty("emailKind") String kind,
      @ExchangeProperty("attempt") Integer attempt, @ExchangeProperty("userId") String userId) {
    // The user's id goes with the row, so that deleting the account deletes it (AccountEmails.deleteUser).
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("id", UUID.fromString(jobId));
    parameters.put("attempt", attempt(attempt));
    parameters.put("kind", kind);
    parameters.put("userId", userId == null ? null : UUID.fromString(userId));
    List<SentEmail> claimed = rows(jdbc.query("""
        INSERT INTO sent_emails (conversion_id, attempt, kind, status, claimed_at, user_id)
        VALUES (:?id, :?attempt, :?kind, 'sending', now(), CAST(:?userId AS uuid))
        ON CONFLICT (conversion_id, attempt) DO NOTHING
        RETURNING conversion_id, kind, status, email_id, claimed_at""", parameters));
    // No row back: the job had one already. It is committed (the conflict waited for that), so it can be read.
    SentEmail email = claimed.isEmpty()
        ? find(jobId, attempt).orElseThrow(() -> new IllegalStateException("No sent_emails row for job " + jobId))
        : claimed.get(0);
    return new Claim(email, email.status() == Status.SENDING && email.kind().equals(kind));
  }

  /** The row of the job's attempt, if any. */
  public Optional<SentEmail> find(@ExchangeProperty("jobId") String jobId, @ExchangeProperty("attempt") Integer attempt) {
    return rows(jdbc.query("""
        SELECT conversion_id, kind, status, email_id, claimed_at
        FROM sent_emails WHERE conversion_id = :?id AND attempt = :?attempt""",
        Map.of("id", UUID.fromString(jobId), "attempt", attempt(attempt)))).stream().findFirst();
  }

  /**
   * Resend's Idempotency-Key of the email: {@code conversion-{jobId}-{kind}} for a job's first attempt (as before
   * attempts existed), {@code conversion-{jobId}-{kind}-attempt-{n}} for a retried one's.
   */
  public static String idempotencyKey(@ExchangeProperty("jobId") String jobId,
      @ExchangeProperty("emailKind") String kind, @ExchangeProperty("attempt") Integer attempt) {
    String key = "conversion-" + jobId + "-" + kind;
    return attempt(attempt) == 1 ? key : key + "-attempt-" + attempt;
  }

  private static int attempt(Integer attempt) {
    return attempt == null ? 1 : Math.max(1, attempt);
  }

  /** Resend took the email (or had taken it already): the job's row is finished, and the email counted. */
  public void sent(@ExchangeProperty("jobId") String jobId, @ExchangeProperty("emailKind") String kind,
      @ExchangeProperty("attempt") Integer attempt, @Body ResendOutcome outcome) {
    metrics.sent(kind, outcome);
    finish(jobId, attempt, outcome.duplicate() ? Status.DUPLICATE : Status.SENT, outcome.emailId());
  }

  /** Resend refused the email for good: counted, and the job's row is finished, so no redelivery asks again. */
  public void rejected(@ExchangeProperty("jobId") String jobId, @ExchangeProperty("emailKind") String kind,
      @ExchangeProperty("attempt") Integer attempt) {
    metrics.rejected(kind);
    finish(jobId, attempt, Status.REJECTED, null);
  }

  /** Only a row still sending is finished: of two deliveries that both sent, the first answer recorded stays. */
  private void finish(String jobId, Integer attempt, Status status, String emailId) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("id", UUID.fromString(jobId));
    parameters.put("attempt", attempt(attempt));
    parameters.put("status", status.column());
    parameters.put("emailId", emailId);
    jdbc.update("""
        UPDATE sent_emails SET status = :?status, email_id = :?emailId, finished_at = now()
        WHERE conversion_id = :?id AND attempt = :?attempt AND status = 'sending'""", parameters);
  }

  private static List<SentEmail> rows(List<Map<String, Object>> rows) {
    return rows.stream().map(row -> new SentEmail(
        row.get("conversion_id").toString(),
        (String) row.get("kind"),
        Status.of(row.get("status")),
        (String) row.get("email_id"),
        timestamp(row.get("claimed_at")))).toList();
  }

  private static OffsetDateTime timestamp(Object column) {
    if (column instanceof Timestamp timestamp) {
      return timestamp.toInstant().atOffset(ZoneOffset.UTC);
    }
    return (OffsetDateTime) column;
  }
}
