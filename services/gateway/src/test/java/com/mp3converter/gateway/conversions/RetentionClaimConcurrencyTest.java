package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.gateway.conversions.Conversions.ExpiredJob;
import com.mp3converter.shared.messages.ConversionRequested;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention sweeps of several gateway replicas at the same time, against real PostgreSQL: a sweep skips rows another
 * transaction holds instead of waiting for them (SKIP LOCKED), and sweeps racing over the same expired jobs take
 * each job exactly once. A claim that read the rows first and updated them afterwards fails here.
 */
class RetentionClaimConcurrencyTest {
  static final StoreDatabase DATABASE = StoreDatabase.create();
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Instant LONG_AGO = Instant.parse("2001-02-03T04:05:06Z");

  final Conversions conversions = DATABASE.conversions(Clock.systemUTC());
  final Conversions thenConversions = DATABASE.conversions(Clock.fixed(LONG_AGO, ZoneOffset.UTC));
  final ExecutorService pool = Executors.newFixedThreadPool(4);

  @BeforeEach
  void emptyTable() {
    DATABASE.jdbc().update("DELETE FROM conversions");
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @AfterAll
  static void closeDatabase() {
    DATABASE.close();
  }

  /** A job that failed long ago, so its retention is over. */
  private UUID expiredJob() {
    ConversionRequested job = ConversionsTest.job(UUID.randomUUID(), LONG_AGO);
    thenConversions.insert(job);
    thenConversions.applyStatus(StatusChange.failed(UUID.fromString(job.jobId()), "not_audio", "Not audio."));
    return UUID.fromString(job.jobId());
  }

  @Test
  void aSweepSkipsARowAnotherTransactionHoldsInsteadOfWaitingForIt() throws Exception {
    UUID held = expiredJob();
    UUID free = expiredJob();
    try (Connection holder = DATABASE.dataSource().getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM conversions WHERE id = ? FOR UPDATE")) {
        lock.setObject(1, held);
        lock.executeQuery().close();
      }
      // Answers while the lock is still held: a claim that waited for the row would not come back before rollback.
      Future<List<ExpiredJob>> sweep = pool.submit(() -> conversions.claimExpired(Duration.ofMinutes(1), 10));
      assertThat(sweep.get(WAIT.toSeconds(), TimeUnit.SECONDS)).extracting(ExpiredJob::id).containsExactly(free);
      holder.rollback();
    }
    assertThat(conversions.claimExpired(Duration.ofMinutes(1), 10)).extracting(ExpiredJob::id).containsExactly(held);
  }

  @Test
  void racingSweepsTakeEachExpiredJobExactlyOnce() throws Exception {
    Set<UUID> expired = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      expired.add(expiredJob());
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<ExpiredJob>>> sweeps = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sweeps.add(pool.submit(() -> {
        go.await();
        return conversions.claimExpired(Duration.ofMinutes(1), 10);
      }));
    }
    go.countDown();
    List<UUID> taken = new ArrayList<>();
    for (Future<List<ExpiredJob>> sweep : sweeps) {
      sweep.get(WAIT.toSeconds(), TimeUnit.SECONDS).forEach(job -> taken.add(job.id()));
    }
    // Eight sweeps of ten over sixty jobs: every job once, none twice.
    assertThat(taken).doesNotHaveDuplicates().hasSize(60);
    assertThat(new HashSet<>(taken)).isEqualTo(expired);
  }
}
