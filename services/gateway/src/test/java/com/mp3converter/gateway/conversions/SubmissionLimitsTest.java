package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubmissionLimitsTest {
  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
  private final SubmissionLimits limits = new SubmissionLimits(10, 5);

  @Test
  void withinBothLimitsTheJobIsAdmitted() {
    assertThat(limits.refusal(counts(10, 5, NOW.minusSeconds(30)), NOW)).isNull();
    assertThat(limits.refusal(counts(1, 1, NOW), NOW)).isNull();
  }

  @Test
  void theEleventhSubmissionOfAMinuteWaitsUntilTheFirstLeavesTheWindow() {
    ProblemException refusal = limits.refusal(counts(11, 1, NOW.minusMillis(59_500)), NOW);

    assertThat(refusal.problem().status()).isEqualTo(429);
    assertThat(refusal.problem().type()).isEqualTo("/problems/too-many-requests");
    assertThat(refusal.headers()).containsEntry("Retry-After", "1");
    assertThat(limits.refusal(counts(11, 1, NOW.minusMillis(500)), NOW).headers()).containsEntry("Retry-After", "60");
    assertThat(limits.refusal(counts(11, 1, NOW.minusSeconds(20)), NOW).headers()).containsEntry("Retry-After", "40");
  }

  @Test
  void theSixthUnfinishedJobIsRefusedForAWhile() {
    ProblemException refusal = limits.refusal(counts(6, 6, NOW.minusSeconds(10)), NOW);

    assertThat(refusal.problem().status()).isEqualTo(429);
    assertThat(refusal.problem().type()).isEqualTo("/problems/too-many-active-jobs");
    assertThat(refusal.headers()).containsEntry("Retry-After", "15");
  }

  @Test
  void theRateIsToldFirstWhenBothAreExceeded() {
    assertThat(limits.refusal(counts(11, 6, NOW.minusSeconds(1)), NOW).problem().type())
        .isEqualTo("/problems/too-many-requests");
  }

  @Test
  void limitsBelowOneAreAConfigurationError() {
    assertThatThrownBy(() -> new SubmissionLimits(0, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SubmissionLimits(10, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A row as PostgreSQL's JDBC driver gives it: counts as Long, the oldest time as a Timestamp. */
  private static Map<String, Object> counts(long recent, long active, Instant oldest) {
    return Map.of("recent", recent, "active", active, "oldest", Timestamp.from(oldest));
  }
}
