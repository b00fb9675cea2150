package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.gateway.metrics.GatewayMetrics;
import com.mp3converter.shared.messages.ConversionRequested;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the store tells the metrics, against real PostgreSQL. */
class ConversionsMetricsTest {
  static final StoreDatabase DATABASE = StoreDatabase.create();
  static final Instant THEN = Instant.parse("2026-12-05T08:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Conversions conversions =
      DATABASE.conversions(Clock.fixed(THEN, ZoneOffset.UTC), new GatewayMetrics(registry));

  @AfterAll
  static void closeDatabase() {
    DATABASE.close();
  }

  @BeforeEach
  void emptyTable() {
    DATABASE.jdbc().update("DELETE FROM conversions");
  }

  private UUID stored() {
    ConversionRequested job = ConversionsTest.job(UUID.randomUUID(), THEN);
    conversions.insert(job);
    return UUID.fromString(job.jobId());
  }

  @Test
  void aFinalStateIsCountedOnceHoweverOftenItsEventArrives() {
    UUID completed = stored();
    UUID failed = stored();
    for (int delivery = 0; delivery < 2; delivery++) {
      conversions.applyStatus(StatusChange.started(completed));
      conversions.applyStatus(StatusChange.completed(completed, "k", 100, 7.3));
      conversions.applyStatus(StatusChange.failed(failed, "source_not_found", "not found"));
      // A late failure of a completed job changes nothing and is not counted either.
      conversions.applyStatus(StatusChange.failed(completed, "timeout", "late"));
    }

    assertThat(registry.get("mp3.jobs.completed").counter().count()).isEqualTo(1);
    assertThat(registry.get("mp3.jobs.failed").tag("reason", "source_not_found").counter().count()).isEqualTo(1);
    assertThat(registry.get("mp3.jobs.failed").tag("reason", "timeout").counter().count()).isZero();
    // Every event's update is timed, whether it changed the row or not.
    assertThat(registry.get("mp3.conversion").tag("step", "status_update").timer().count()).isEqualTo(8);
  }

  @Test
  void aCancelledJobIsCountedOnceAndItsLateEventsAreNot() {
    ConversionRequested job = ConversionsTest.job(UUID.randomUUID(), THEN);
    conversions.insert(job);
    UUID id = UUID.fromString(job.jobId());
    UUID user = UUID.fromString(job.userId());
    assertThat(conversions.cancel(id, user)).isTrue();
    assertThat(conversions.cancel(id, user)).isFalse();
    conversions.applyStatus(StatusChange.completed(id, "k", 100, 7.3));

    assertThat(registry.get("mp3.jobs.cancelled").counter().count()).isEqualTo(1);
    assertThat(registry.get("mp3.jobs.completed").counter().count()).isZero();
  }

  @Test
  void stuckJobsAreThoseInProcessingWhoseRowHasNotMovedSinceTheCutoff() {
    UUID old = stored();
    conversions.applyStatus(StatusChange.started(old));
    stored();
    UUID fresh = stored();
    Conversions later = DATABASE.conversions(Clock.fixed(THEN.plus(Duration.ofHours(1)), ZoneOffset.UTC));
    later.applyStatus(StatusChange.started(fresh));

    assertThat(conversions.countProcessingNotUpdatedSince(THEN.plus(Duration.ofMinutes(30)))).isEqualTo(1);
    assertThat(conversions.countProcessingNotUpdatedSince(THEN.plus(Duration.ofHours(2)))).isEqualTo(2);
    later.applyStatus(StatusChange.completed(old, "k", 1, 1.0));
    assertThat(conversions.countProcessingNotUpdatedSince(THEN.plus(Duration.ofHours(2)))).isEqualTo(1);
  }
}
