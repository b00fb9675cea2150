package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class JobStatusTest {

  @Test
  void statesOnlyMoveForward() {
    assertThat(JobStatus.QUEUED.canMoveTo(JobStatus.PROCESSING)).isTrue();
    assertThat(JobStatus.QUEUED.canMoveTo(JobStatus.COMPLETED)).isTrue();
    assertThat(JobStatus.QUEUED.canMoveTo(JobStatus.FAILED)).isTrue();
    assertThat(JobStatus.PROCESSING.canMoveTo(JobStatus.COMPLETED)).isTrue();
    assertThat(JobStatus.PROCESSING.canMoveTo(JobStatus.FAILED)).isTrue();
    // A late or repeated event never moves a job back or sideways.
    assertThat(JobStatus.COMPLETED.canMoveTo(JobStatus.PROCESSING)).isFalse();
    assertThat(JobStatus.FAILED.canMoveTo(JobStatus.PROCESSING)).isFalse();
    assertThat(JobStatus.COMPLETED.canMoveTo(JobStatus.FAILED)).isFalse();
    assertThat(JobStatus.FAILED.canMoveTo(JobStatus.COMPLETED)).isFalse();
    assertThat(JobStatus.PROCESSING.canMoveTo(JobStatus.PROCESSING)).isFalse();
    assertThat(JobStatus.PROCESSING.canMoveTo(JobStatus.QUEUED)).isFalse();
  }

  @Test
  void noStateMovesToItselfOrBackToQueuedAndFinalStatesMoveNowhere() {
    for (JobStatus state : JobStatus.values()) {
      assertThat(state.canMoveTo(state)).as("%s to itself", state).isFalse();
      assertThat(state.canMoveTo(JobStatus.QUEUED)).as("%s to queued", state).isFalse();
      if (state.isFinal()) {
        for (JobStatus next : JobStatus.values()) {
          assertThat(state.canMoveTo(next)).as("%s to %s", state, next).isFalse();
        }
      } else {
        assertThat(state.canMoveTo(JobStatus.COMPLETED)).as("%s to completed", state).isTrue();
        assertThat(state.canMoveTo(JobStatus.FAILED)).as("%s to failed", state).isTrue();
      }
    }
  }

  @Test
  void movesNeverCycle() {
    for (JobStatus a : JobStatus.values()) {
      for (JobStatus b : JobStatus.values()) {
        assertThat(a.canMoveTo(b) && b.canMoveTo(a)).as("%s and %s", a, b).isFalse();
      }
    }
  }

  /** What the status UPDATEs of Conversions write into their WHERE clauses. */
  @Test
  void theStatesThatMayMoveToATargetAreWhatCanMoveToSays() {
    assertThat(JobStatus.statesThatMayMoveTo(JobStatus.PROCESSING)).containsExactly(JobStatus.QUEUED);
    assertThat(JobStatus.statesThatMayMoveTo(JobStatus.COMPLETED))
        .containsExactly(JobStatus.QUEUED, JobStatus.PROCESSING);
    assertThat(JobStatus.statesThatMayMoveTo(JobStatus.FAILED))
        .containsExactly(JobStatus.QUEUED, JobStatus.PROCESSING);
    assertThat(JobStatus.statesThatMayMoveTo(JobStatus.QUEUED)).isEmpty();
    for (JobStatus target : JobStatus.values()) {
      for (JobStatus state : JobStatus.values()) {
        assertThat(JobStatus.statesThatMayMoveTo(target).contains(state)).isEqualTo(state.canMoveTo(target));
      }
    }
    assertThat(JobStatus.unfinished()).isEqualTo(EnumSet.of(JobStatus.QUEUED, JobStatus.PROCESSING));
  }

  @Test
  void mapsEventRoutingKeysAndCodes() {
    assertThat(JobStatus.fromRoutingKey("conversion.started")).contains(JobStatus.PROCESSING);
    assertThat(JobStatus.fromRoutingKey("conversion.completed")).contains(JobStatus.COMPLETED);
    assertThat(JobStatus.fromRoutingKey("conversion.failed")).contains(JobStatus.FAILED);
    assertThat(JobStatus.fromRoutingKey("conversion.requested")).isEmpty();
    assertThat(JobStatus.fromRoutingKey(null)).isEmpty();
    assertThat(JobStatus.fromCode("processing")).isEqualTo(JobStatus.PROCESSING);
    assertThatThrownBy(() -> JobStatus.fromCode("done")).isInstanceOf(IllegalArgumentException.class);
    assertThat(JobStatus.COMPLETED.isFinal()).isTrue();
    assertThat(JobStatus.FAILED.isFinal()).isTrue();
    assertThat(JobStatus.PROCESSING.isFinal()).isFalse();
  }
}
