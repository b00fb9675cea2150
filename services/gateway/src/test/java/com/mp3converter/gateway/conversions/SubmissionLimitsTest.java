package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.gateway.conversions.Conversions.SubmissionCounts;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.problem.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SubmissionLimitsTest {
  static final StoreDatabase DATABASE = StoreDatabase.create();
  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  private final Conversions conversions = DATABASE.conversions(Clock.systemUTC());
  private final SubmissionLimits limits = new SubmissionLimits(conversions, 10, 5);

  @AfterAll
  static void closeDatabase() {
    DATABASE.close();
  }

  @Test
  void withinBothLimitsTheJobIsAdmitted() {
    assertThat(limits.refusal(new SubmissionCounts(10, 5, NOW.minusSeconds(30)), NOW)).isNull();
    assertThat(limits.refusal(new SubmissionCounts(1, 1, NOW), NOW)).isNull();
  }

  @Test
  void theEleventhSubmissionOfAMinuteWaitsUntilTheFirstLeavesTheWindow() {
    ProblemException refusal = limits.refusal(new SubmissionCounts(11, 1, NOW.minusMillis(59_500)), NOW);

    assertThat(refusal.problem().status()).isEqualTo(429);
    assertThat(refusal.problem().type()).isEqualTo("/problems/too-many-requests");
    assertThat(refusal.headers()).containsEntry("Retry-After", "1");
    assertThat(limits.refusal(new SubmissionCounts(11, 1, NOW.minusMillis(500)), NOW).headers())
        .containsEntry("Retry-After", "60");
    assertThat(limits.refusal(new SubmissionCounts(11, 1, NOW.minusSeconds(20)), NOW).headers())
        .containsEntry("Retry-After", "40");
  }

  @Test
  void theSixthUnfinishedJobIsRefusedForAWhile() {
    ProblemException refusal = limits.refusal(new SubmissionCounts(6, 6, NOW.minusSeconds(10)), NOW);

    assertThat(refusal.problem().status()).isEqualTo(429);
    assertThat(refusal.problem().type()).isEqualTo("/problems/too-many-active-jobs");
    assertThat(refusal.headers()).containsEntry("Retry-After", "15");
  }

  @Test
  void theRateIsToldFirstWhenBothAreExceeded() {
    assertThat(limits.refusal(new SubmissionCounts(11, 6, NOW.minusSeconds(1)), NOW).problem().type())
        .isEqualTo("/problems/too-many-requests");
  }

  @Test
  void limitsBelowOneAreAConfigurationError() {
    assertThatThrownBy(() -> new SubmissionLimits(conversions, 0, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SubmissionLimits(conversions, 10, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** The counts come from the stored rows, this job's included; a refused job's row is gone again. */
  @Test
  void aJobPastALimitIsDeletedAndRefused() {
    UUID user = UUID.randomUUID();
    List<ConversionRequested> admitted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      admitted.add(submit(user));
    }
    ConversionRequested sixthActive = ConversionsTest.job(user, Instant.now());
    conversions.insert(sixthActive);
    assertRefused(sixthActive, "/problems/too-many-active-jobs");

    for (ConversionRequested job : admitted) {
      conversions.applyStatus(StatusChange.completed(ConversionsTest.id(job), "k", 1, 1.0));
    }
    for (int i = 0; i < 5; i++) {
      submit(user);
    }
    ConversionRequested eleventh = ConversionsTest.job(user, Instant.now());
    conversions.insert(eleventh);
    assertRefused(eleventh, "/problems/too-many-requests");
    // Another user is not affected.
    submit(UUID.randomUUID());
  }

  private ConversionRequested submit(UUID user) {
    ConversionRequested job = ConversionsTest.job(user, Instant.now());
    conversions.insert(job);
    limits.admit(job);
    assertThat(conversions.find(ConversionsTest.id(job))).isPresent();
    return job;
  }

  private void assertRefused(ConversionRequested job, String type) {
    assertThatThrownBy(() -> limits.admit(job)).isInstanceOfSatisfying(ProblemException.class, p -> {
      assertThat(p.problem().status()).isEqualTo(429);
      assertThat(p.problem().type()).isEqualTo(type);
    });
    assertThat(conversions.find(ConversionsTest.id(job))).isEmpty();
  }
}
