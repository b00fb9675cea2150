package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.gateway.conversions.Conversions.ClaimedJob;
import com.mp3converter.gateway.conversions.Conversions.SubmissionCounts;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.OutputFormat;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job table's store against real PostgreSQL, through camel-jdbc as in the gateway. */
class ConversionsTest {
  static final StoreDatabase DATABASE = StoreDatabase.create();
  static final Instant LONG_AGO = Instant.parse("2001-02-03T04:05:06.123456Z");

  final Conversions conversions = DATABASE.conversions(Clock.systemUTC());
  final Conversions thenConversions = DATABASE.conversions(Clock.fixed(LONG_AGO, ZoneOffset.UTC));

  @AfterAll
  static void closeDatabase() {
    DATABASE.close();
  }

  /** The recovery claims take any matching row: each test starts from an empty table. */
  @BeforeEach
  void emptyTable() {
    DATABASE.jdbc().update("DELETE FROM conversions");
  }

  static ConversionRequested job(UUID user, Instant requestedAt) {
    String id = UUID.randomUUID().toString();
    return new ConversionRequested(ConversionRequested.VERSION, id, user.toString(), id + "@example.com", "Ünïcode",
        "https://audio.example.com/" + id + ".wav", "v0", requestedAt.truncatedTo(ChronoUnit.MICROS));
  }

  static UUID id(ConversionRequested job) {
    return UUID.fromString(job.jobId());
  }

  private ConversionRequested stored(UUID user, Instant requestedAt) {
    ConversionRequested job = job(user, requestedAt);
    conversions.insert(job);
    return job;
  }

  @Test
  void aNewJobIsQueuedAndReadsBackAsTheIntakeMadeIt() {
    UUID user = UUID.randomUUID();
    ConversionRequested job = stored(user, Instant.now());

    Conversion found = conversions.find(id(job)).orElseThrow();
    assertThat(found.id()).isEqualTo(id(job));
    assertThat(found.userId()).isEqualTo(user);
    assertThat(found.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(found.sourceUrl()).isEqualTo(job.sourceUrl());
    assertThat(found.bitrate()).isEqualTo("v0");
    assertThat(found.createdAt()).isEqualTo(job.requestedAt());
    assertThat(found.updatedAt()).isEqualTo(job.requestedAt());
    assertThat(found.bytes()).isNull();
    assertThat(found.errorReason()).isNull();
    // Kept so the gateway can rebuild the job message or tell the user on its own.
    Map<String, Object> row = DATABASE.jdbc().queryForMap(
        "SELECT email, name, published_at FROM conversions WHERE id = ?", id(job));
    assertThat(row).containsEntry("email", job.email()).containsEntry("name", "Ünïcode");
    assertThat(row.get("published_at")).isNull();

    assertThat(conversions.findOwned(id(job), user)).contains(found);
    assertThat(conversions.findOwned(id(job), UUID.randomUUID())).isEmpty();
    assertThat(conversions.find(UUID.randomUUID())).isEmpty();

    conversions.delete(id(job));
    assertThat(conversions.find(id(job))).isEmpty();
  }

  @Test
  void submissionsAreCountedInTheWindowAndWhileUnfinishedButNotWhenTheBrokerNeverTookThem() {
    UUID user = UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant since = now.minus(Duration.ofMinutes(1));
    stored(user, now.minusSeconds(30));
    stored(user, now.minusSeconds(10));
    ConversionRequested finishedInWindow = stored(user, now.minusSeconds(20));
    conversions.applyStatus(StatusChange.completed(id(finishedInWindow), "k", 1, 1.0));
    // Before the window: counted while unfinished only.
    stored(user, now.minus(Duration.ofMinutes(5)));
    ConversionRequested finishedBefore = stored(user, now.minus(Duration.ofMinutes(6)));
    conversions.applyStatus(StatusChange.failed(id(finishedBefore), "not_audio", "x"));
    // Never submitted as far as the limits go.
    ConversionRequested refused = stored(user, now.minusSeconds(40));
    conversions.markBrokerUnavailable(refused);
    stored(UUID.randomUUID(), now);

    assertThat(conversions.countSubmissions(user, since))
        .isEqualTo(new SubmissionCounts(3, 3, now.minusSeconds(30)));
    assertThat(conversions.countSubmissions(UUID.randomUUID(), since)).isEqualTo(new SubmissionCounts(0, 0, null));
  }

  @Test
  void aJobTheBrokerNeverTookIsRecordedAsFailedUnlessItAlreadyFinished() {
    ConversionRequested job = stored(UUID.randomUUID(), Instant.now());
    conversions.markBrokerUnavailable(job);
    Conversion failed = conversions.find(id(job)).orElseThrow();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.errorReason()).isEqualTo(Conversions.BROKER_UNAVAILABLE);
    assertThat(failed.errorMessage()).isEqualTo("The job could not be queued, so it was not started.");

    ConversionRequested done = stored(UUID.randomUUID(), Instant.now());
    conversions.applyStatus(StatusChange.completed(id(done), "k", 5, 1.0));
    conversions.markBrokerUnavailable(done);
    assertThat(conversions.find(id(done)).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void pagesRunNewestFirstByCreationTimeThenId() {
    UUID user = UUID.randomUUID();
    Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<ConversionRequested> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // Two jobs share each creation time: the id decides between them.
      jobs.add(stored(user, t.minusSeconds(i / 2)));
    }
    stored(UUID.randomUUID(), t);
    // PostgreSQL orders uuids as unsigned bytes, which is the order of their lower-case hex text.
    List<UUID> expected = jobs.stream()
        .sorted(Comparator.comparing(ConversionRequested::requestedAt).thenComparing(ConversionRequested::jobId)
            .reversed())
        .map(ConversionsTest::id).toList();

    List<Conversion> first = conversions.page(user, PageCursor.START, 3);
    Conversion last = first.get(2);
    List<Conversion> second = conversions.page(user, new PageCursor(last.createdAt(), last.id()), 3);
    assertThat(first).extracting(Conversion::id).containsExactlyElementsOf(expected.subList(0, 3));
    assertThat(second).extracting(Conversion::id).containsExactlyElementsOf(expected.subList(3, 5));
  }

  @Test
  void statusEventsMoveAJobForwardOnly() {
    ConversionRequested job = stored(UUID.randomUUID(), Instant.now());

    assertThat(conversions.applyStatus(StatusChange.started(id(job)))).isTrue();
    assertThat(conversions.find(id(job)).orElseThrow().status()).isEqualTo(JobStatus.PROCESSING);
    assertThat(conversions.applyStatus(StatusChange.started(id(job)))).isFalse();
    assertThat(conversions.applyStatus(StatusChange.completed(id(job), "users/u/j.mp3", 123_456, 61.25, "Title.mp3")))
        .isTrue();

    assertThat(conversions.applyStatus(StatusChange.started(id(job)))).isFalse();
    assertThat(conversions.applyStatus(StatusChange.failed(id(job), "timeout", "late"))).isFalse();
    assertThat(conversions.applyStatus(StatusChange.completed(id(job), "other", 1, 1.0))).isFalse();
    Conversion completed = conversions.find(id(job)).orElseThrow();
    assertThat(completed.status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(completed.bytes()).isEqualTo(123_456L);
    assertThat(completed.durationSeconds()).isEqualTo(61.25);
    assertThat(completed.filename()).isEqualTo("Title.mp3");
    assertThat(completed.downloadFilename(OutputFormat.MP3)).isEqualTo("Title.mp3");
    assertThat(completed.errorReason()).isNull();
    // Any event proves the job was published.
    assertThat(DATABASE.jdbc().queryForObject(
        "SELECT object_key FROM conversions WHERE id = ? AND published_at IS NOT NULL", String.class, id(job)))
        .isEqualTo("users/u/j.mp3");

    ConversionRequested failing = stored(UUID.randomUUID(), Instant.now());
    assertThat(conversions.applyStatus(StatusChange.failed(id(failing), "not_audio", "Not audio."))).isTrue();
    assertThat(conversions.applyStatus(StatusChange.completed(id(failing), "k", 1, 1.0))).isFalse();
    Conversion failed = conversions.find(id(failing)).orElseThrow();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.errorReason()).isEqualTo("not_audio");
    assertThat(failed.bytes()).isNull();

    assertThat(conversions.applyStatus(StatusChange.started(UUID.randomUUID()))).isFalse();
    assertThatThrownBy(() -> conversions.applyStatus(
        new StatusChange(id(job), JobStatus.QUEUED, null, null, null, null, null, null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aJobTheBrokerTookWithoutConfirmingFollowsTheWorker() {
    ConversionRequested job = stored(UUID.randomUUID(), Instant.now());
    conversions.markBrokerUnavailable(job);

    assertThat(conversions.applyStatus(StatusChange.started(id(job)))).isTrue();
    assertThat(conversions.find(id(job)).orElseThrow())
        .satisfies(c -> assertThat(c.status()).isEqualTo(JobStatus.PROCESSING))
        .satisfies(c -> assertThat(c.errorReason()).isNull());
    assertThat(conversions.applyStatus(StatusChange.completed(id(job), "k", 10, 1.0))).isTrue();
    assertThat(conversions.applyStatus(StatusChange.started(id(job)))).isFalse();
    assertThat(conversions.find(id(job)).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void aBatchOfConfirmedJobsIsMarkedPublishedInOneStatementAndEarlierMarksStay() {
    ConversionRequested earlier = job(UUID.randomUUID(), LONG_AGO);
    thenConversions.insert(earlier);
    thenConversions.markPublished(earlier);
    List<ConversionRequested> batch = List.of(job(UUID.randomUUID(), LONG_AGO), job(UUID.randomUUID(), LONG_AGO));
    batch.forEach(thenConversions::insert);
    ConversionRequested notInTheBatch = job(UUID.randomUUID(), LONG_AGO);
    thenConversions.insert(notInTheBatch);

    conversions.markAllPublished(List.of(batch.get(0), earlier, batch.get(1)));

    for (ConversionRequested job : batch) {
      assertThat(publishedAt(job)).isAfter(LONG_AGO);
    }
    assertThat(publishedAt(earlier)).as("the first confirmation's time").isEqualTo(LONG_AGO);
    assertThat(publishedAt(notInTheBatch)).isNull();
  }

  static Instant publishedAt(ConversionRequested job) {
    Timestamp at = DATABASE.jdbc().queryForObject(
        "SELECT published_at FROM conversions WHERE id = ?", Timestamp.class, id(job));
    return at == null ? null : at.toInstant();
  }

  @Test
  void aJobStoredButNeverConfirmedIsClaimedOnceAndThenLeftAlone() {
    ConversionRequested job = job(UUID.randomUUID(), LONG_AGO);
    thenConversions.insert(job);
    ConversionRequested published = job(UUID.randomUUID(), LONG_AGO);
    thenConversions.insert(published);
    thenConversions.markPublished(published);

    List<ClaimedJob> claimed = conversions.claimUnpublished(LONG_AGO.plusSeconds(60), 50);
    assertThat(claimed).containsExactly(new ClaimedJob(job, 0));
    // Claimed jobs move on: the next round does not take them again.
    assertThat(conversions.claimUnpublished(LONG_AGO.plusSeconds(60), 50)).isEmpty();

    conversions.markPublished(job);
    Instant publishedAt = DATABASE.jdbc().queryForObject(
        "SELECT published_at FROM conversions WHERE id = ?", Timestamp.class, id(job)).toInstant();
    // Recorded once: a second confirmation keeps the first time.
    conversions.markPublished(job);
    assertThat(DATABASE.jdbc().queryForObject(
        "SELECT published_at FROM conversions WHERE id = ?", Timestamp.class, id(job)).toInstant())
        .isEqualTo(publishedAt);
  }

  @Test
  void aStuckJobIsClaimedForItsRequeuesThenForItsFailure() {
    ConversionRequested job = job(UUID.randomUUID(), LONG_AGO);
    thenConversions.insert(job);
    thenConversions.markPublished(job);
    thenConversions.applyStatus(StatusChange.started(id(job)));
    ConversionRequested finished = job(UUID.randomUUID(), LONG_AGO);
    thenConversions.insert(finished);
    thenConversions.markPublished(finished);
    thenConversions.applyStatus(StatusChange.completed(id(finished), "k", 1, 1.0));
    Instant deadline = LONG_AGO.plusSeconds(60);

    assertThat(conversions.claimExhausted(deadline, 1, 50)).isEmpty();
    assertThat(conversions.claimStuck(deadline, 1, 50)).containsExactly(new ClaimedJob(job, 1));
    assertThat(conversions.claimStuck(deadline, 1, 50)).isEmpty();

    // Still no progress after its one re-queue.
    DATABASE.jdbc().update("UPDATE conversions SET updated_at = ? WHERE id = ?",
        Timestamp.from(LONG_AGO), id(job));
    assertThat(conversions.claimStuck(deadline, 1, 50)).isEmpty();
    assertThat(conversions.claimExhausted(deadline, 1, 50)).containsExactly(new ClaimedJob(job, 1));
    assertThat(conversions.claimExhausted(deadline, 1, 50)).isEmpty();
  }

  @Test
  void claimsTakeTheOldestJobsUpToABatch() {
    List<ConversionRequested> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ConversionRequested job = job(UUID.randomUUID(), LONG_AGO.minusSeconds(10 - i));
      DATABASE.conversions(Clock.fixed(job.requestedAt(), ZoneOffset.UTC)).insert(job);
      jobs.add(job);
    }
    // The oldest two (RETURNING gives the claimed rows in no particular order).
    assertThat(conversions.claimUnpublished(LONG_AGO.plusSeconds(60), 2))
        .extracting(ClaimedJob::job).containsExactlyInAnyOrder(jobs.get(0), jobs.get(1));
    assertThat(conversions.claimUnpublished(LONG_AGO.plusSeconds(60), 2))
        .extracting(ClaimedJob::job).containsExactly(jobs.get(2));
  }

  // ------------------------------------------------------------------------------------------------- retention

  @Test
  void aFinishedJobExpiresAfterTheRetentionAndAnUnfinishedOneNever() {
    ConversionRequested done = stored(UUID.randomUUID(), LONG_AGO);
    ConversionRequested failing = stored(UUID.randomUUID(), LONG_AGO);
    ConversionRequested running = stored(UUID.randomUUID(), LONG_AGO);
    thenConversions.applyStatus(StatusChange.completed(id(done), "users/u/d.mp3", 1, 1.0));
    thenConversions.applyStatus(StatusChange.failed(id(failing), "not_audio", "Not audio."));
    thenConversions.applyStatus(StatusChange.started(id(running)));

    Instant expiry = LONG_AGO.plus(StoreDatabase.RETENTION);
    assertThat(conversions.find(id(done)).orElseThrow().expiresAt()).isEqualTo(expiry);
    assertThat(conversions.find(id(failing)).orElseThrow().expiresAt()).isEqualTo(expiry);
    assertThat(conversions.find(id(running)).orElseThrow().expiresAt()).isNull();
    assertThat(conversions.find(id(done)).orElseThrow().expiredAt(expiry.minusNanos(1000))).isFalse();
    assertThat(conversions.find(id(done)).orElseThrow().expiredAt(expiry)).isTrue();

    // A job the broker never confirmed is failed in the gateway's view, and kept as long; if the worker reports it
    // running after all, it is unfinished again and does not expire.
    ConversionRequested unconfirmed = stored(UUID.randomUUID(), LONG_AGO);
    thenConversions.markBrokerUnavailable(unconfirmed);
    assertThat(conversions.find(id(unconfirmed)).orElseThrow().expiresAt()).isEqualTo(expiry);
    thenConversions.applyStatus(StatusChange.started(id(unconfirmed)));
    assertThat(conversions.find(id(unconfirmed)).orElseThrow().expiresAt()).isNull();
  }

  @Test
  void expiredJobsAreClaimedOncePerIntervalAndOnlyExpiredRecordsAreDeleted() {
    ConversionRequested expired = stored(UUID.randomUUID(), LONG_AGO);
    thenConversions.applyStatus(StatusChange.completed(id(expired), "users/u/e.mp3", 1, 1.0));
    ConversionRequested expiredFailure = stored(UUID.randomUUID(), LONG_AGO);
    thenConversions.applyStatus(StatusChange.failed(id(expiredFailure), "not_audio", "Not audio."));
    ConversionRequested fresh = stored(UUID.randomUUID(), Instant.now());
    conversions.applyStatus(StatusChange.completed(id(fresh), "users/u/f.mp3", 1, 1.0));
    ConversionRequested unfinished = stored(UUID.randomUUID(), LONG_AGO);

    assertThat(conversions.claimExpired(Duration.ofMinutes(1), 50)).containsExactlyInAnyOrder(
        new Conversions.ExpiredJob(id(expired), "users/u/e.mp3"), new Conversions.ExpiredJob(id(expiredFailure), null));
    // Taken: another sweep (another replica) within the interval leaves them alone...
    assertThat(conversions.claimExpired(Duration.ofMinutes(1), 50)).isEmpty();
    // ...and one after it takes a job whose deletion did not happen again.
    assertThat(conversions.claimExpired(Duration.ZERO, 50)).hasSize(2);

    conversions.deleteExpired(new Conversions.ExpiredJob(id(expired), "users/u/e.mp3"));
    conversions.deleteExpired(new Conversions.ExpiredJob(id(fresh), "users/u/f.mp3"));
    conversions.deleteExpired(new Conversions.ExpiredJob(id(unfinished), null));
    assertThat(conversions.find(id(expired))).isEmpty();
    assertThat(conversions.find(id(fresh))).isPresent();
    assertThat(conversions.find(id(unfinished))).isPresent();
  }

  @Test
  void expiredJobsAreClaimedSoonestExpiryFirstUpToABatch() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ConversionRequested job = stored(UUID.randomUUID(), LONG_AGO);
      DATABASE.conversions(Clock.fixed(LONG_AGO.plusSeconds(i), ZoneOffset.UTC))
          .applyStatus(StatusChange.failed(id(job), "not_audio", "Not audio."));
      ids.add(id(job));
    }
    assertThat(conversions.claimExpired(Duration.ofMinutes(1), 2)).extracting(Conversions.ExpiredJob::id)
        .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    assertThat(conversions.claimExpired(Duration.ofMinutes(1), 2)).extracting(Conversions.ExpiredJob::id)
        .containsExactly(ids.get(2));
  }
}
