package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobStatusTest {

  @Test
  void statesOnlyMoveForward() {
    assertThat(JobStatus.QUEUED.canMoveTo(JobStatus.PROCESSING)).isTrue();
    assertThat(JobStatus.QUEUED.canMoveTo(JobStatus.COMPLETED)).isTrue();
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
  void mapsEventRoutingKeysAndCodes() {
    assertThat(JobStatus.fromRoutingKey("conversion.started")).contains(JobStatus.PROCESSING);
    assertThat(JobStatus.fromRoutingKey("conversion.completed")).contains(JobStatus.COMPLETED);
    assertThat(JobStatus.fromRoutingKey("conversion.failed")).contains(JobStatus.FAILED);
    assertThat(JobStatus.fromRoutingKey("conversion.requested")).isEmpty();
    assertThat(JobStatus.fromRoutingKey(null)).isEmpty();
    assertThat(JobStatus.fromCode("processing")).isEqualTo(JobStatus.PROCESSING);
    assertThat(JobStatus.COMPLETED.isFinal()).isTrue();
    assertThat(JobStatus.PROCESSING.isFinal()).isFalse();
  }
}
