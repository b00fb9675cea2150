package com.mp3converter.shared.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The failure policy table, row by row: each column is a decision another service acts on. */
class FailureReasonTest {

  @Test
  void theCodesAreTheContractsAndEachNamesOneReason() {
    assertThat(Arrays.stream(FailureReason.values()).map(FailureReason::code)).containsExactly(
        "source_unreachable", "source_not_found", "source_too_large", "not_audio", "too_long",
        "conversion_failed", "timeout", "blocked_url", "storage_unavailable", "internal_error");
    for (FailureReason reason : FailureReason.values()) {
      assertThat(FailureReason.fromCode(reason.code())).isSameAs(reason);
    }
  }

  @Test
  void aCodeThisVersionDoesNotKnowIsAnInternalError() {
    assertThat(FailureReason.fromCode("cancelled_by_moon")).isSameAs(FailureReason.INTERNAL);
    assertThat(FailureReason.fromCode(null)).isSameAs(FailureReason.INTERNAL);
  }

  @Test
  void onlyAnUnreachableSourceAndOurOwnErrorsAreWorthAnotherAttempt() {
    assertThat(reasons(FailureReason::retried))
        .isEqualTo(EnumSet.of(FailureReason.SOURCE_UNREACHABLE, FailureReason.INTERNAL));
  }

  @Test
  void aUserMayRetryOutagesAndSlowRunsButNeverTheSameBadInput() {
    assertThat(reasons(FailureReason::userMayRetry)).isEqualTo(EnumSet.of(FailureReason.SOURCE_UNREACHABLE,
        FailureReason.TIMEOUT, FailureReason.STORAGE_UNAVAILABLE, FailureReason.INTERNAL));
    // Everything the worker retries by itself is worth a retry by the user too (it ran out of attempts).
    assertThat(reasons(FailureReason::userMayRetry)).containsAll(reasons(FailureReason::retried));
    // An unknown code (a job the broker never took is recorded as broker_unavailable) may be retried.
    assertThat(FailureReason.fromCode("broker_unavailable").userMayRetry()).isTrue();
  }

  @Test
  void whatTheUserGaveUsIsTheirsToFixEverythingElseIsAlsoAnOperators() {
    assertThat(reasons(reason -> !reason.needsOperator())).isEqualTo(EnumSet.of(
        FailureReason.SOURCE_NOT_FOUND, FailureReason.SOURCE_TOO_LARGE, FailureReason.NOT_AUDIO,
        FailureReason.TOO_LONG, FailureReason.BLOCKED_URL));
  }

  @Test
  void theUsersInputIsAClientErrorOurTroubleAServerError() {
    Map<FailureReason, Integer> statuses = Arrays.stream(FailureReason.values())
        .collect(Collectors.toMap(r -> r, FailureReason::httpStatus));
    assertThat(statuses).containsEntry(FailureReason.SOURCE_TOO_LARGE, 413)
        .containsEntry(FailureReason.NOT_AUDIO, 415)
        .containsEntry(FailureReason.BLOCKED_URL, 400)
        .containsEntry(FailureReason.SOURCE_UNREACHABLE, 502)
        .containsEntry(FailureReason.STORAGE_UNAVAILABLE, 503)
        .containsEntry(FailureReason.INTERNAL, 500);
    for (FailureReason reason : FailureReason.values()) {
      if (!reason.needsOperator()) {
        assertThat(reason.httpStatus()).as(reason.code()).isBetween(400, 499);
      }
    }
  }

  @Test
  void theSentencesUsersReadAreFixedAndSayNothingInternal() {
    assertThat(FailureReason.SOURCE_TOO_LARGE.userMessage()).isEqualTo("The file is larger than we accept.");
    assertThat(FailureReason.CONVERSION_FAILED.userMessage()).isEqualTo("The audio could not be converted to MP3.");
    assertThat(FailureReason.STORAGE_UNAVAILABLE.userMessage()).isEqualTo("We could not store the MP3.");
    assertThat(FailureReason.INTERNAL.userMessage()).isEqualTo("Something went wrong on our side.");
    for (FailureReason reason : FailureReason.values()) {
      assertThat(reason.userMessage()).as(reason.code())
          .endsWith(".")
          .doesNotContain(reason.code(), "Exception", "/tmp", "ffmpeg", "S3");
    }
  }

  private static Set<FailureReason> reasons(java.util.function.Predicate<FailureReason> which) {
    return Arrays.stream(FailureReason.values()).filter(which)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(FailureReason.class)));
  }
}
