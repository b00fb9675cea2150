package com.mp3converter.gateway.metrics;

import com.mp3converter.gateway.conversions.StatusChange;
import com.mp3converter.shared.amqp.AmqpTopology;
import com.mp3converter.shared.messages.FailureReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The gateway's own meters, every name in one place (Prometheus adds {@code _total} to counters): jobs taken in
 * and finished, bytes served to users, the broker's queues and the jobs stuck in processing. The beans record at the
 * points the work happens; docs/operations.md ("Metrics") says what each one means.
 *
 * <p>The queue and stuck-job gauges are read on the gateway: it runs all the time (the worker may be scaled to zero
 * by KEDA, and then its gauges would vanish exactly when the queue grows), it already holds the job table, and the
 * readings are the broker's and the database's, the same from any replica (alerts take {@code max}).
 */
public final class GatewayMetrics {
  static final String JOBS_ACCEPTED = "mp3.jobs.accepted";
  static final String JOBS_COMPLETED = "mp3.jobs.completed";
  static final String JOBS_FAILED = "mp3.jobs.failed";
  static final String JOBS_CANCELLED = "mp3.jobs.cancelled";
  static final String JOBS_STUCK_PROCESSING = "mp3.jobs.stuck.processing";
  static final String DOWNLOADS_SERVED_BYTES = "mp3.downloads.served.bytes";
  static final String QUEUE_MESSAGES = "mp3.queue.messages";
  static final String QUEUE_DEAD_LETTERS = "mp3.queue.dead.letters";
  static final String QUEUE_CONSUMERS = "mp3.queue.consumers";
  /**
   * The worker's per-step timer (WorkerMetrics); the gateway adds its one step of a job's path, so a single query
   * over both services shows where a job's time goes.
   */
  static final String CONVERSION = "mp3.conversion";
  static final String STATUS_UPDATE_STEP = "status_update";

  private final Counter accepted;
  private final Counter completed;
  private final Counter cancelled;
  /** One counter per FailureReason code: the tag's values are that fixed list, never an event's own text. */
  private final Map<FailureReason, Counter> failed = new EnumMap<>(FailureReason.class);
  private final Counter servedBytes;
  private final Timer statusUpdate;

  public GatewayMetrics(MeterRegistry registry) {
    accepted = Counter.builder(JOBS_ACCEPTED).description("Jobs accepted by POST /conversions (202)")
        .register(registry);
    completed = Counter.builder(JOBS_COMPLETED).description("Jobs that reached completed").register(registry);
    cancelled = Counter.builder(JOBS_CANCELLED).description("Queued or processing jobs their user cancelled")
        .register(registry);
    for (FailureReason reason : FailureReason.values()) {
      failed.put(reason, Counter.builder(JOBS_FAILED).description("Jobs that reached failed, by reason")
          .tag("reason", reason.code()).register(registry));
    }
    servedBytes = Counter.builder(DOWNLOADS_SERVED_BYTES).baseUnit("bytes")
        .description("MP3 bytes sent to users (download links and GET /conversions/{id}/mp3)").register(registry);
    statusUpdate = Timer.builder(CONVERSION).tag("step", STATUS_UPDATE_STEP)
        .description("Wall time of a conversion's steps (status_update: the gateway applying a worker's event)")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1))
        .register(registry);
  }

  /** A worker's status event was applied to its job's row (changed or not): the database update's time. */
  public void statusUpdate(Duration elapsed) {
    statusUpdate.record(elapsed);
  }

  /** A job was stored and queued, and its client answered 202. */
  public void accepted() {
    accepted.increment();
  }

  /**
   * A status event changed its job's row (called once per job and state: a late or repeated event changes nothing
   * and is not counted). An unknown reason code counts as internal_error, the way {@link FailureReason} reads it.
   */
  public void statusApplied(StatusChange change) {
    switch (change.status()) {
      case COMPLETED -> completed.increment();
      case FAILED -> failed.get(FailureReason.fromCode(change.errorReason())).increment();
      case CANCELLED -> cancelled.increment();
      case QUEUED, PROCESSING -> { }
    }
  }

  /** The user cancelled a queued or processing job (DELETE /conversions/{id}; once per job). */
  public void cancelled() {
    cancelled.increment();
  }

  /** Counts the bytes of an MP3 as they are sent. */
  public Counter servedBytes() {
    return servedBytes;
  }

  /** The broker's counts for every consumer queue: messages waiting, messages in its dead-letter queue, consumers. */
  public static void bindQueues(MeterRegistry registry, QueueReadings queues) {
    for (String queue : AmqpTopology.QUEUES.keySet()) {
      Gauge.builder(QUEUE_MESSAGES, queues, q -> q.messages(queue)).tag("queue", queue)
          .description("Messages ready in the queue (RabbitMQ's count, cached)").register(registry);
      Gauge.builder(QUEUE_DEAD_LETTERS, queues, q -> q.messages(AmqpTopology.deadLetterQueue(queue)))
          .tag("queue", queue).description("Messages parked in the queue's dead-letter queue").register(registry);
      Gauge.builder(QUEUE_CONSUMERS, queues, q -> q.consumers(queue)).tag("queue", queue)
          .description("Consumers attached to the queue").register(registry);
    }
  }

  /** Jobs in processing whose row has not moved for the configured time (NaN while the database cannot say). */
  public static void bindStuckJobs(MeterRegistry registry, Supplier<Long> stuck) {
    Gauge.builder(JOBS_STUCK_PROCESSING, stuck, s -> {
      Long count = s.get();
      return count == null ? Double.NaN : count;
    }).description("Jobs in processing with no status change for mp3.metrics.stuck-processing-after")
        .register(registry);
  }
}
