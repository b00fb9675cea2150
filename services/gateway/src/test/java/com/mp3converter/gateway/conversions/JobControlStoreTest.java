package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionRequested;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The job-control statements of the job table against real PostgreSQL: cancel, delete, retry and progress each
 * change a job only from the state they expect, and an event of another attempt changes nothing.
 */
class JobControlStoreTest {
  static final StoreDatabase DATABASE = StoreDatabase.create();

  final Conversions conversions = DATABASE.conversions(Clock.systemUTC());

  @AfterAll
  static void closeDatabase() {
    DATABASE.close();
  }

  private ConversionRequested stored(UUID user) {
    ConversionRequested job = ConversionsTest.job(user, Instant.now());
    conversions.insert(job);
    return job;
  }

  private Conversion row(ConversionRequested job) {
    return conversions.find(ConversionsTest.id(job)).orElseThrow();
  }

  @Test
  void aCancelledJobStaysCancelledWhateverTheWorkerSaysAfterwards() {
    UUID user = UUID.randomUUID();
    ConversionRequested job = stored(user);
    UUID id = ConversionsTest.id(job);
    assertThat(conversions.applyStatus(StatusChange.started(id))).isTrue();
    assertThat(conversions.cancel(id, UUID.randomUUID())).as("another user's").isFalse();
    assertThat(conversions.cancel(id, user)).isTrue();
    assertThat(conversions.cancel(id, user)).as("twice").isFalse();

    assertThat(conversions.applyStatus(StatusChange.completed(id, "k", 1, 1.0))).isFalse();
    assertThat(conversions.applyStatus(StatusChange.failed(id, "timeout", "late"))).isFalse();
    assertThat(conversions.applyProgress(new ProgressChange(id, 1, 50))).isFalse();
    Conversion cancelled = row(job);
    assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(cancelled.expiresAt()).isNotNull();
  }

  @Test
  void aFinishedJobIsNotCancelledButDeletedOnceAndDisappearsFromTheList() {
    UUID user = UUID.randomUUID();
    ConversionRequested job = stored(user);
    UUID id = ConversionsTest.id(job);
    assertThat(conversions.markDeleted(id, user)).as("unfinished").isFalse();
    conversions.applyStatus(StatusChange.completed(id, "k", 1, 1.0));
    assertThat(conversions.cancel(id, user)).isFalse();
    assertThat(conversions.markDeleted(id, UUID.randomUUID())).isFalse();
    assertThat(conversions.markDeleted(id, user)).isTrue();
    assertThat(conversions.markDeleted(id, user)).isFalse();
    assertThat(row(job).deleted()).isTrue();
    assertThat(conversions.page(user, PageCursor.START, 10)).isEmpty();
  }

  @Test
  void aRetryStartsTheNextAttemptAndEventsOfTheOldOneChangeNothing() {
    UUID user = UUID.randomUUID();
    ConversionRequested job = stored(user);
    UUID id = ConversionsTest.id(job);
    assertThat(conversions.retry(id, user, 1)).as("not failed").isEmpty();
    conversions.applyStatus(StatusChange.failed(id, "source_unreachable", "down"));
    assertThat(conversions.retry(id, user, 2)).as("not at that attempt").isEmpty();

    ConversionRequested again = conversions.retry(id, user, 1).orElseThrow();
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.jobId()).isEqualTo(job.jobId());
    assertThat(again.sourceUrl()).isEqualTo(job.sourceUrl());
    Conversion queued = row(job);
    assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(queued.attempts()).isEqualTo(2);
    assertThat(queued.errorReason()).isNull();
    assertThat(queued.expiresAt()).isNull();

    // The first attempt's events (late or repeated) are not this attempt's.
    assertThat(conversions.applyStatus(StatusChange.started(id, 1))).isFalse();
    assertThat(conversions.applyStatus(StatusChange.started(id, 2))).isTrue();
    assertThat(conversions.applyProgress(new ProgressChange(id, 1, 40))).isFalse();
    assertThat(conversions.applyProgress(new ProgressChange(id, 2, 40))).isTrue();
    assertThat(conversions.applyProgress(new ProgressChange(id, 2, 30))).as("backwards").isFalse();
    assertThat(row(job).progress()).isEqualTo(40);
    assertThat(conversions.applyStatus(StatusChange.completed(id, "k", 1, 1.0, null, 2))).isTrue();
    assertThat(row(job).progress()).isNull();
    assertThat(conversions.applyProgress(new ProgressChange(id, 2, 60))).as("finished").isFalse();
  }
}
