package com.mp3converter.gateway.conversions;

import com.mp3converter.shared.jdbc.CamelJdbc;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;

/**
 * The gateway's table {@code idempotency_keys}: which job a user's {@code Idempotency-Key} made, and from which
 * request (its fingerprint). Every statement on it is here, beside the method that runs it (camel-jdbc, one
 * transaction each). A row goes with its job ({@code ON DELETE CASCADE}).
 */
public final class IdempotencyKeys {
  /** One key of one user: the job it made and the fingerprint of the request that made it. */
  public record IdempotencyRecord(UUID userId, String key, String fingerprint, UUID jobId, Instant createdAt) {}

  private final CamelJdbc jdbc;

  public IdempotencyKeys(ProducerTemplate producer) {
    this.jdbc = new CamelJdbc(producer);
  }

  private static final String FIND = """
      SELECT user_id, idempotency_key, fingerprint, job_id, created_at FROM idempotency_keys
      WHERE user_id = :?userId AND idempotency_key = :?key AND created_at >= :?since
      """;

  /** The user's key if it was used at or after {@code since}; an older row is as good as none. */
  public Optional<IdempotencyRecord> find(UUID userId, String key, Instant since) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("userId", userId);
    parameters.put("key", key);
    parameters.put("since", at(since));
    return jdbc.query(FIND, parameters).stream().map(row -> new IdempotencyRecord(
        (UUID) row.get("user_id"), (String) row.get("idempotency_key"), (String) row.get("fingerprint"),
        (UUID) row.get("job_id"), instant(row.get("created_at")))).findFirst();
  }

  private static final String CLAIM = """
      INSERT INTO idempotency_keys (user_id, idempotency_key, fingerprint, job_id, created_at)
      VALUES (:?userId, :?key, :?fingerprint, :?jobId, :?createdAt)
      ON CONFLICT (user_id, idempotency_key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, job_id = EXCLUDED.job_id, created_at = EXCLUDED.created_at
        WHERE idempotency_keys.created_at < :?staleBefore
      RETURNING job_id
      """;

  /**
   * Records the key for its job unless the user has a live row for it (one used at or after {@code staleBefore}):
   * one statement, so of two concurrent requests with one key exactly one claims it (the primary key).
   *
   * @return whether this record now holds the key
   */
  public boolean claim(IdempotencyRecord record, Instant staleBefore) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("userId", record.userId());
    parameters.put("key", record.key());
    parameters.put("fingerprint", record.fingerprint());
    parameters.put("jobId", record.jobId());
    parameters.put("createdAt", at(record.createdAt()));
    parameters.put("staleBefore", at(staleBefore));
    return !jdbc.query(CLAIM, parameters).isEmpty();
  }

  private static final String RELEASE = "DELETE FROM idempotency_keys WHERE job_id = :?jobId";

  /** Frees the key of a job that was never started (the broker refused it), so a retry with it makes a new job. */
  public void release(UUID jobId) {
    jdbc.update(RELEASE, Map.of("jobId", jobId));
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(Object value) {
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant();
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant();
    }
    throw new IllegalStateException("not a timestamp: " + value);
  }
}
