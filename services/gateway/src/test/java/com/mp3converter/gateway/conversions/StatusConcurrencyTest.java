package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.messages.ConversionRequested;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Status events for one job applied at the same time, against real PostgreSQL: the guard of
 * {@link Conversions#applyStatus} is part of its UPDATE, so a late {@code started} never overwrites
 * {@code completed}, whatever the timing. A guard checked before the write (read the status, decide in Java, then
 * update) fails here.
 */
class StatusConcurrencyTest {
  static final StoreDatabase DATABASE = StoreDatabase.create();
  static final Duration WAIT = Duration.ofSeconds(20);

  final Conversions conversions = DATABASE.conversions(Clock.systemUTC());
  final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @AfterAll
  static void closeDatabase() {
    DATABASE.close();
  }

  private UUID storedJob() {
    ConversionRequested job = ConversionsTest.job(UUID.randomUUID(), Instant.now());
    conversions.insert(job);
    return UUID.fromString(job.jobId());
  }

  /**
   * Both events wait for the job's row while another transaction holds it, completed first. When the row is
   * free, completed is written; started, which read the row as queued before it waited, must find it completed
   * now and change nothing.
   */
  @Test
  void aStartedThatWaitedBehindCompletedChangesNothing() throws Exception {
    UUID job = storedJob();
    Future<Boolean> completed;
    Future<Boolean> started;
    try (Connection holder = DATABASE.dataSource().getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM conversions WHERE id = ? FOR UPDATE")) {
        lock.setObject(1, job);
        lock.executeQuery().close();
      }
      completed = pool.submit(() -> conversions.applyStatus(StatusChange.completed(job, "users/u/j.mp3", 42, 1.5)));
      awaitStatementsWaitingForARow(1);
      started = pool.submit(() -> conversions.applyStatus(StatusChange.started(job)));
      awaitStatementsWaitingForARow(2);
      holder.rollback();
    }

    assertThat(completed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(started.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
    Conversion row = conversions.find(job).orElseThrow();
    assertThat(row.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(row.bytes()).isEqualTo(42L);
  }

  /**
   * Many jobs, each with a started, a completed and a failed event racing from four threads: every job ends in
   * exactly one final state, with the columns of that state, and none is left processing.
   */
  @Test
  void racingEventsAlwaysEndInOneFinalState() throws Exception {
    List<UUID> jobs = new ArrayList<>();
    List<Callable<Boolean>> events = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < 40; i++) {
      UUID job = storedJob();
      jobs.add(job);
      for (StatusChange change : List.of(StatusChange.started(job), StatusChange.completed(job, "k/" + job, 7, 2.0),
          StatusChange.failed(job, "timeout", "Too slow."))) {
        events.add(() -> {
          go.await();
          return conversions.applyStatus(change);
        });
      }
    }
    Collections.shuffle(events, new Random(42));
    List<Future<Boolean>> results = new ArrayList<>();
    for (Callable<Boolean> event : events) {
      results.add(pool.submit(event));
    }
    go.countDown();
    for (Future<Boolean> result : results) {
      result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    for (UUID job : jobs) {
      Conversion row = conversions.find(job).orElseThrow();
      assertThat(row.status().isFinal()).as("job %s is %s", job, row.status()).isTrue();
      if (row.status() == JobStatus.COMPLETED) {
        assertThat(row.bytes()).isEqualTo(7L);
        assertThat(row.errorReason()).isNull();
      } else {
        assertThat(row.errorReason()).isEqualTo("timeout");
        assertThat(row.bytes()).isNull();
      }
    }
  }

  /** Statements of this database that wait for a lock another transaction holds. */
  private void awaitStatementsWaitingForARow(int count) {
    await().atMost(WAIT).until(() -> DATABASE.jdbc().queryForObject(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        Integer.class) == count);
  }
}
