package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The notifier's question "may this email go out?" ({@link JobControl#decide}): only for the job's current attempt,
 * in the event's final state, not deleted; ask again while the gateway has not applied the event.
 */
class JobControlDecisionTest {
  private static Conversion job(JobStatus status, int attempts, Instant deletedAt) {
    return new Conversion(UUID.randomUUID(), UUID.randomUUID(), status, "https://a.example/x.wav", "192k", null, null,
        null, null, Instant.EPOCH, Instant.EPOCH, null, null, null, deletedAt, attempts, null);
  }

  @Test
  void theEmailOfTheJobsCurrentFinalStateGoesOut() {
    assertThat(JobControl.decide(Optional.of(job(JobStatus.COMPLETED, 1, null)), JobStatus.COMPLETED, 1)).isTrue();
    assertThat(JobControl.decide(Optional.of(job(JobStatus.FAILED, 2, null)), JobStatus.FAILED, 2)).isTrue();
  }

  @Test
  void aCancelledDeletedRetriedOrForgottenJobGetsNoEmail() {
    // Cancelled first: the worker's late completed or failed event changed nothing, and says nothing to the user.
    assertThat(JobControl.decide(Optional.of(job(JobStatus.CANCELLED, 1, null)), JobStatus.COMPLETED, 1)).isFalse();
    assertThat(JobControl.decide(Optional.of(job(JobStatus.CANCELLED, 1, null)), JobStatus.FAILED, 1)).isFalse();
    assertThat(JobControl.decide(Optional.of(job(JobStatus.COMPLETED, 1, Instant.EPOCH)), JobStatus.COMPLETED, 1))
        .isFalse();
    // Attempt 1 failed, the user retried it already (attempt 2 runs): the old failure is news to nobody.
    assertThat(JobControl.decide(Optional.of(job(JobStatus.QUEUED, 2, null)), JobStatus.FAILED, 1)).isFalse();
    assertThat(JobControl.decide(Optional.empty(), JobStatus.COMPLETED, 1)).isFalse();
  }

  @Test
  void anEventTheGatewayHasNotAppliedYetIsAskedAgain() {
    assertThatThrownBy(() -> JobControl.decide(Optional.of(job(JobStatus.PROCESSING, 1, null)), JobStatus.COMPLETED, 1))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(409));
  }
}
