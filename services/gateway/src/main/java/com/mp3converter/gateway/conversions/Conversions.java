package com.mp3converter.gateway.conversions;

import static com.mp3converter.gateway.ExchangePropertyNames.JOB;

import com.mp3converter.gateway.metrics.GatewayMetrics;
import com.mp3converter.shared.jdbc.CamelJdbc;
import com.mp3converter.shared.messages.ConversionRequested;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;

/**
 * The gateway's job table {@code conversions}: every statement on it, each beside the method that runs it. Methods
 * take and return records, so a route step is one line ({@code to: bean:conversions?method=insert}); the bean
 * methods a route calls bind what they need with {@code @ExchangeProperty}/{@code @Body}.
 *
 * <p>All statements run through camel-jdbc ({@link CamelJdbc}), each in a transaction of its own. Status
 * writes are guarded by {@link JobStatus#canMoveTo}: the states the rule allows to move from are written into the
 * UPDATE's WHERE clause, so the check and the write are one atomic statement. (PostgreSQL re-evaluates that clause
 * on the newest version of a row it had to wait for, so a late {@code started} that waited behind a
 * {@code completed} finds the row completed and changes nothing.)
 */
public final class Conversions {
  /**
   * {@code error_reason} of a job whose publication the broker never confirmed (its client got a 503). The broker
   * may have taken it all the same, so the worker's events still apply to it (see {@link #applyStatus}), and it
   * never counts against its user's limits.
   */
  public static final String BROKER_UNAVAILABLE = "broker_unavailable";

  /** The counts behind a user's submission limits; {@code oldest} is null when no job is inside the window. */
  public record SubmissionCounts(long recent, long active, Instant oldest) {}

  /** A job taken by one of the recovery claims: its message as the intake published it, and its re-queues so far. */
  public record ClaimedJob(ConversionRequested job, int requeues) {}

  private static final String UNFINISHED = sqlList(JobStatus.unfinished());
  private static final String COLUMNS = "id, user_id, status, source_url, bitrate, bytes, duration_seconds, "
      + "error_reason, error_message, created_at, updated_at, expires_at, filename, source_filename, deleted_at, "
      + "attempts, progress";
  private static final String CLAIMED_COLUMNS = "id, user_id, email, name, source_url, bitrate, created_at, requeues, "
      + "source_object_key, source_filename, attempts";

  /** A job taken by the retention sweep: its id and its MP3's key (null when it has none, e.g. a failed job). */
  public record ExpiredJob(UUID id, String objectKey) {}

  private final CamelJdbc jdbc;
  private final Clock clock;
  private final Duration retention;
  private final GatewayMetrics metrics;

  /**
   * @param retention how long a finished job, its MP3 and its download links are kept (mp3.retention.period);
   *     every final status write sets {@code expires_at} this far ahead
   * @param metrics counts the status changes that happened (each job's final state once)
   */
  public Conversions(ProducerTemplate producer, Clock clock, Duration retention, GatewayMetrics metrics) {
    this.jdbc = new CamelJdbc(producer);
    this.clock = clock;
    this.retention = retention;
    this.metrics = metrics;
  }

  // ------------------------------------------------------------------------------------------------- intake

  private static final String INSERT = """
      INSERT INTO conversions (id, user_id, email, name, source_url, source_object_key, source_filename, bitrate, status,
        created_at, updated_at)
      VALUES (:?id, :?userId, :?email, :?name, :?sourceUrl, :?sourceObjectKey, :?sourceFilename, :?bitrate, :?status,
        :?createdAt, :?createdAt)
      """;

  /** Stores a new job as queued, with the email and name that let the gateway rebuild its message later. */
  public void insert(@ExchangeProperty(JOB) ConversionRequested job) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("id", UUID.fromString(job.jobId()));
    parameters.put("userId", UUID.fromString(job.userId()));
    parameters.put("email", job.email());
    parameters.put("name", job.name());
    parameters.put("sourceUrl", job.sourceUrl());
    parameters.put("sourceObjectKey", job.sourceObjectKey());
    parameters.put("sourceFilename", job.sourceFilename());
    parameters.put("bitrate", job.bitrate());
    parameters.put("status", JobStatus.QUEUED.code());
    parameters.put("createdAt", at(job.requestedAt()));
    jdbc.update(INSERT, parameters);
  }

  private static final String COUNT_SUBMISSIONS = """
      SELECT count(*) FILTER (WHERE created_at >= :?since) AS recent,
        count(*) FILTER (WHERE status IN (%1$s)) AS active,
        min(created_at) FILTER (WHERE created_at >= :?since) AS oldest
      FROM conversions
      WHERE user_id = :?userId AND (created_at >= :?since OR status IN (%1$s))
        AND error_reason IS DISTINCT FROM :?brokerUnavailable
      """.formatted(UNFINISHED);

  /**
   * The user's jobs created since {@code since}, the unfinished ones, and the oldest creation time inside the
   * window. Jobs the broker never took were never submitted and are not counted.
   */
  public SubmissionCounts countSubmissions(UUID userId, Instant since) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("userId", userId);
    parameters.put("since", at(since));
    parameters.put("brokerUnavailable", BROKER_UNAVAILABLE);
    Map<String, Object> row = jdbc.query(COUNT_SUBMISSIONS, parameters).get(0);
    Object oldest = row.get("oldest");
    return new SubmissionCounts(((Number) row.get("recent")).longValue(), ((Number) row.get("active")).longValue(),
        oldest == null ? null : instant(oldest));
  }

  private static final String DELETE = "DELETE FROM conversions WHERE id = :?id";

  /** Removes a job that was never published (refused at intake), so nothing else knows it. */
  public void delete(UUID id) {
    jdbc.update(DELETE, Map.of("id", id));
  }

  private static final String MARK_BROKER_UNAVAILABLE = """
      UPDATE conversions
      SET status = :?status, error_reason = :?reason, error_message = :?message, updated_at = :?updatedAt,
        expires_at = :?expiresAt
      WHERE id = :?id AND status IN (%s)
      """.formatted(sqlList(JobStatus.statesThatMayMoveTo(JobStatus.FAILED)));

  /** Records that the broker never confirmed the job, so the row does not claim a queued job nobody will run. */
  public void markBrokerUnavailable(@ExchangeProperty(JOB) ConversionRequested job) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("id", UUID.fromString(job.jobId()));
    parameters.put("status", JobStatus.FAILED.code());
    parameters.put("reason", BROKER_UNAVAILABLE);
    parameters.put("message", "The job could not be queued, so it was not started.");
    Instant now = now();
    parameters.put("updatedAt", at(now));
    parameters.put("expiresAt", at(now.plus(retention)));
    jdbc.update(MARK_BROKER_UNAVAILABLE, parameters);
  }

  /** {@code ids}: a PostgreSQL array literal of job ids, so that one statement marks a whole batch. */
  private static final String MARK_PUBLISHED = """
      UPDATE conversions SET published_at = COALESCE(published_at, :?now) WHERE id = ANY(CAST(:?ids AS uuid[]))""";

  /** Records that the broker confirmed the job's message, which keeps the unpublished-job check away from it. */
  public void markPublished(@ExchangeProperty(JOB) ConversionRequested job) {
    markAllPublished(List.of(job));
  }

  /** {@link #markPublished} for a batch of confirmed jobs in one statement (gateway-conversion-published). */
  public void markAllPublished(@Body List<ConversionRequested> jobs) {
    String ids = jobs.stream().map(job -> UUID.fromString(job.jobId()).toString())
        .collect(Collectors.joining(",", "{", "}"));
    jdbc.update(MARK_PUBLISHED, Map.of("ids", ids, "now", at(now())));
  }

  // ------------------------------------------------------------------------------------------------- reading

  private static final String FIND = "SELECT " + COLUMNS + " FROM conversions WHERE id = :?id";

  /** Any user's job (the internal API). */
  public Optional<Conversion> find(UUID id) {
    return jdbc.query(FIND, Map.of("id", id)).stream().map(Conversions::conversion).findFirst();
  }

  private static final String FIND_OWNED =
      "SELECT " + COLUMNS + " FROM conversions WHERE id = :?id AND user_id = :?userId";

  /** The job if it is this user's; another user's job is as absent as one that does not exist. */
  public Optional<Conversion> findOwned(UUID id, UUID userId) {
    return jdbc.query(FIND_OWNED, Map.of("id", id, "userId", userId)).stream()
        .map(Conversions::conversion).findFirst();
  }

  private static final String PAGE = """
      SELECT %s FROM conversions
      WHERE user_id = :?userId AND (created_at, id) < (:?beforeCreatedAt, :?beforeId) AND deleted_at IS NULL
      ORDER BY created_at DESC, id DESC
      LIMIT :?count
      """.formatted(COLUMNS);

  /**
   * Up to {@code count} of the user's jobs that sort after {@code before}, newest first (keyset paging); jobs the
   * user deleted are not listed.
   */
  public List<Conversion> page(UUID userId, PageCursor before, int count) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("userId", userId);
    parameters.put("beforeCreatedAt", at(before.createdAt()));
    parameters.put("beforeId", before.id());
    parameters.put("count", count);
    return jdbc.query(PAGE, parameters).stream().map(Conversions::conversion).toList();
  }

  // ------------------------------------------------------------------------------------------------- status

  /**
   * One UPDATE per target state, guarded by the states {@link JobStatus#canMoveTo} allows to move from. The one
   * exception is a {@link #BROKER_UNAVAILABLE} row: failed in the gateway's view only, it follows the worker.
   */
  private static final Map<JobStatus, String> APPLY_STATUS = new EnumMap<>(JobStatus.class);

  static {
    for (JobStatus target : JobStatus.values()) {
      Set<JobStatus> from = JobStatus.statesThatMayMoveTo(target);
      if (!from.isEmpty()) {
        APPLY_STATUS.put(target, """
            UPDATE conversions
            SET status = :?status, updated_at = :?updatedAt, object_key = :?objectKey, bytes = :?bytes,
              duration_seconds = :?durationSeconds, error_reason = :?errorReason, error_message = :?errorMessage,
              published_at = COALESCE(published_at, :?updatedAt), expires_at = :?expiresAt, filename = :?filename,
              progress = :?progress
            WHERE id = :?jobId AND attempts = :?attempt
              AND (status IN (%s) OR error_reason = :?brokerUnavailable)
            """.formatted(sqlList(from)));
      }
    }
  }

  /**
   * Applies a status event to its job if the job may move to the event's state; a late or repeated event changes
   * nothing, and so does an event of an attempt that is not the job's current one (a retried job). Any event also
   * proves the job was published. A final state starts the job's retention
   * ({@code expires_at}); an unfinished one (a broker_unavailable row the worker reports running) has none.
   *
   * @return whether the row changed
   */
  public boolean applyStatus(@Body StatusChange change) {
    String update = APPLY_STATUS.get(change.status());
    if (update == null) {
      throw new IllegalArgumentException("no job ever moves to " + change.status().code());
    }
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("jobId", change.jobId());
    parameters.put("status", change.status().code());
    Instant now = now();
    parameters.put("updatedAt", at(now));
    parameters.put("expiresAt", change.status().isFinal() ? at(now.plus(retention)) : null);
    parameters.put("objectKey", change.objectKey());
    parameters.put("bytes", change.bytes());
    parameters.put("durationSeconds", change.durationSeconds());
    parameters.put("errorReason", change.errorReason());
    parameters.put("errorMessage", change.errorMessage());
    parameters.put("filename", change.filename());
    parameters.put("brokerUnavailable", BROKER_UNAVAILABLE);
    parameters.put("attempt", change.attempt());
    parameters.put("progress", change.status() == JobStatus.PROCESSING ? 0 : null);
    long started = System.nanoTime();
    boolean changed = jdbc.update(update, parameters) > 0;
    metrics.statusUpdate(Duration.ofNanos(System.nanoTime() - started));
    if (changed) {
      metrics.statusApplied(change);
    }
    return changed;
  }

  private static final String APPLY_PROGRESS = """
      UPDATE conversions SET progress = :?percent
      WHERE id = :?jobId AND attempts = :?attempt AND status = '%s' AND (progress IS NULL OR progress < :?percent)
      """.formatted(JobStatus.PROCESSING.code());

  /**
   * Records how far the job's running attempt got. Only a processing job of that attempt changes, and progress only
   * grows, so a late or reordered progress event never touches a finished job or moves the figure back.
   *
   * @return whether the row changed
   */
  public boolean applyProgress(@Body ProgressChange change) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("jobId", change.jobId());
    parameters.put("attempt", change.attempt());
    parameters.put("percent", change.percent());
    return jdbc.update(APPLY_PROGRESS, parameters) > 0;
  }

  // ------------------------------------------------------------------------------------------------- job control
  // Each statement names the state it expects in its WHERE clause, so a job that changed since the caller read it
  // (an event applied in between) is left alone and the caller decides again.

  private static final String CANCEL = """
      UPDATE conversions SET status = '%s', updated_at = :?now, expires_at = :?expiresAt, progress = NULL
      WHERE id = :?id AND user_id = :?userId AND deleted_at IS NULL AND status IN (%s)
      """.formatted(JobStatus.CANCELLED.code(), sqlList(JobStatus.statesThatMayMoveTo(JobStatus.CANCELLED)));

  /** Cancels the user's queued or processing job; false when it is not (any more) in one of those states. */
  public boolean cancel(UUID id, UUID userId) {
    Instant now = now();
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("id", id);
    parameters.put("userId", userId);
    parameters.put("now", at(now));
    parameters.put("expiresAt", at(now.plus(retention)));
    boolean changed = jdbc.update(CANCEL, parameters) > 0;
    if (changed) {
      metrics.cancelled();
    }
    return changed;
  }

  private static final String MARK_DELETED = """
      UPDATE conversions SET deleted_at = :?now, updated_at = :?now
      WHERE id = :?id AND user_id = :?userId AND deleted_at IS NULL AND status IN (%s)
      """.formatted(sqlList(JobStatus.finished()));

  /**
   * Marks the user's finished job deleted (a tombstone: its links answer 410 until retention removes the row);
   * false when it is not finished or already deleted. The caller removes its MP3.
   */
  public boolean markDeleted(UUID id, UUID userId) {
    return jdbc.update(MARK_DELETED, Map.of("id", id, "userId", userId, "now", at(now()))) > 0;
  }

  private static final String RETRY = """
      UPDATE conversions SET status = '%s', attempts = attempts + 1, error_reason = NULL, error_message = NULL,
        published_at = NULL, requeues = 0, expires_at = NULL, progress = NULL, updated_at = :?now
      WHERE id = :?id AND user_id = :?userId AND deleted_at IS NULL AND status = '%s' AND attempts = :?attempts
      RETURNING %s
      """.formatted(JobStatus.QUEUED.code(), JobStatus.FAILED.code(), CLAIMED_COLUMNS);

  /**
   * Queues the user's failed job again as its next attempt, if it is still failed at attempt {@code attempts}
   * (what the caller checked); answers the job message to publish, empty when the job changed in between.
   */
  public Optional<ConversionRequested> retry(UUID id, UUID userId, int attempts) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("id", id);
    parameters.put("userId", userId);
    parameters.put("attempts", attempts);
    parameters.put("now", at(now()));
    return claimed(jdbc.query(RETRY, parameters)).stream().map(ClaimedJob::job).findFirst();
  }

  private static final String COUNT_PROCESSING_NOT_UPDATED_SINCE = """
      SELECT count(*) AS stuck FROM conversions WHERE status = '%s' AND updated_at < :?since
      """.formatted(JobStatus.PROCESSING.code());

  /** Jobs in processing whose row has not changed since {@code since} (the metrics' stuck jobs; an index scan). */
  public long countProcessingNotUpdatedSince(Instant since) {
    return ((Number) jdbc.query(COUNT_PROCESSING_NOT_UPDATED_SINCE, Map.of("since", at(since))).get(0).get("stuck"))
        .longValue();
  }

  // ------------------------------------------------------------------------------------------------- recovery
  // Each claim is one UPDATE ... RETURNING over rows locked with SKIP LOCKED that also moves updated_at, so
  // gateway replicas never take the same job in one round and a job that could not be handled now is taken
  // again one period later, not in a loop.

  private static final String CLAIM_UNPUBLISHED = """
      UPDATE conversions SET updated_at = :?now
      WHERE id IN (SELECT id FROM conversions
        WHERE status = %s AND published_at IS NULL AND email IS NOT NULL AND updated_at < :?cutoff
        ORDER BY updated_at LIMIT :?limit FOR UPDATE SKIP LOCKED)
      RETURNING %s
      """.formatted(sqlList(Set.of(JobStatus.QUEUED)), CLAIMED_COLUMNS);

  /** Takes up to {@code limit} queued jobs whose publication was never confirmed, untouched since {@code cutoff}. */
  public List<ClaimedJob> claimUnpublished(Instant cutoff, int limit) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("now", at(now()));
    parameters.put("cutoff", at(cutoff));
    parameters.put("limit", limit);
    return claimed(jdbc.query(CLAIM_UNPUBLISHED, parameters));
  }

  private static final String CLAIM_STUCK = """
      UPDATE conversions SET requeues = requeues + 1, updated_at = :?now
      WHERE id IN (SELECT id FROM conversions
        WHERE status IN (%s) AND published_at IS NOT NULL AND email IS NOT NULL
        AND updated_at < :?deadline AND requeues < :?maxRequeues
        ORDER BY updated_at LIMIT :?limit FOR UPDATE SKIP LOCKED)
      RETURNING %s
      """.formatted(UNFINISHED, CLAIMED_COLUMNS);

  /**
   * Takes up to {@code limit} published, unfinished jobs untouched since {@code deadline} that have been re-queued
   * fewer than {@code maxRequeues} times, and counts this re-queue.
   */
  public List<ClaimedJob> claimStuck(Instant deadline, int maxRequeues, int limit) {
    return claimed(jdbc.query(CLAIM_STUCK, stuckParameters(deadline, maxRequeues, limit)));
  }

  private static final String CLAIM_EXHAUSTED = """
      UPDATE conversions SET updated_at = :?now
      WHERE id IN (SELECT id FROM conversions
        WHERE status IN (%s) AND published_at IS NOT NULL AND email IS NOT NULL
        AND updated_at < :?deadline AND requeues >= :?maxRequeues
        ORDER BY updated_at LIMIT :?limit FOR UPDATE SKIP LOCKED)
      RETURNING %s
      """.formatted(UNFINISHED, CLAIMED_COLUMNS);

  /** Like {@link #claimStuck}, for the jobs that have used up their re-queues. */
  public List<ClaimedJob> claimExhausted(Instant deadline, int maxRequeues, int limit) {
    return claimed(jdbc.query(CLAIM_EXHAUSTED, stuckParameters(deadline, maxRequeues, limit)));
  }

  private Map<String, Object> stuckParameters(Instant deadline, int maxRequeues, int limit) {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("now", at(now()));
    parameters.put("deadline", at(deadline));
    parameters.put("maxRequeues", maxRequeues);
    parameters.put("limit", limit);
    return parameters;
  }

  // ------------------------------------------------------------------------------------------------- retention

  private static final String CLAIM_EXPIRED = """
      UPDATE conversions SET retention_claimed_at = :?now
      WHERE id IN (SELECT id FROM conversions
        WHERE expires_at <= :?now AND (retention_claimed_at IS NULL OR retention_claimed_at < :?reclaimBefore)
        ORDER BY expires_at LIMIT :?limit FOR UPDATE SKIP LOCKED)
      RETURNING id, object_key
      """;

  /**
   * Takes up to {@code limit} jobs whose retention is over, for the caller to delete their MP3 and then
   * {@link #deleteExpired} them. Rows another replica holds are skipped (SKIP LOCKED), and a row taken less than
   * {@code reclaimAfter} ago is left to the sweep that took it; one whose deletion failed is taken again after it.
   */
  public List<ExpiredJob> claimExpired(Duration reclaimAfter, int limit) {
    Instant now = now();
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("now", at(now));
    parameters.put("reclaimBefore", at(now.minus(reclaimAfter)));
    parameters.put("limit", limit);
    return jdbc.query(CLAIM_EXPIRED, parameters).stream()
        .map(row -> new ExpiredJob((UUID) row.get("id"), (String) row.get("object_key"))).toList();
  }

  private static final String DELETE_EXPIRED = "DELETE FROM conversions WHERE id = :?id AND expires_at <= :?now";

  /** Deletes the record of a job whose retention is over (its MP3 already deleted); a job not expired stays. */
  public void deleteExpired(@Body ExpiredJob job) {
    jdbc.update(DELETE_EXPIRED, Map.of("id", job.id(), "now", at(now())));
  }

  // ------------------------------------------------------------------------------------------------- plumbing

  private static Conversion conversion(Map<String, Object> row) {
    return new Conversion(
        (UUID) row.get("id"),
        (UUID) row.get("user_id"),
        JobStatus.fromCode((String) row.get("status")),
        (String) row.get("source_url"),
        (String) row.get("bitrate"),
        row.get("bytes") == null ? null : ((Number) row.get("bytes")).longValue(),
        row.get("duration_seconds") == null ? null : ((Number) row.get("duration_seconds")).doubleValue(),
        (String) row.get("error_reason"),
        (String) row.get("error_message"),
        instant(row.get("created_at")),
        instant(row.get("updated_at")),
        row.get("expires_at") == null ? null : instant(row.get("expires_at")),
        (String) row.get("filename"),
        (String) row.get("source_filename"),
        row.get("deleted_at") == null ? null : instant(row.get("deleted_at")),
        ((Number) row.get("attempts")).intValue(),
        row.get("progress") == null ? null : ((Number) row.get("progress")).intValue());
  }

  /** Claimed rows as the job messages the intake published (same id, user, source, bitrate and time). */
  private static List<ClaimedJob> claimed(List<Map<String, Object>> rows) {
    return rows.stream().map(row -> new ClaimedJob(
        new ConversionRequested(ConversionRequested.VERSION, row.get("id").toString(), row.get("user_id").toString(),
            (String) row.get("email"), (String) row.get("name"), (String) row.get("source_url"),
            (String) row.get("bitrate"), instant(row.get("created_at")), (String) row.get("source_object_key"),
            (String) row.get("source_filename"), ((Number) row.get("attempts")).intValue()),
        ((Number) row.get("requeues")).intValue())).toList();
  }

  /** The states as an SQL list of literals: our own fixed codes, written into the statement so indexes apply. */
  private static String sqlList(Set<JobStatus> states) {
    return states.stream().map(s -> "'" + s.code() + "'").collect(Collectors.joining(", "));
  }

  /** PostgreSQL keeps microseconds; times are cut to them so what is stored is what was given. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
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
