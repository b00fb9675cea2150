package com.mp3converter.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class NotifierMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final NotifierMetrics metrics = new NotifierMetrics(registry);

  private double count(String name, String kind) {
    return registry.get(name).tag("kind", kind).counter().count();
  }

  @Test
  void everyKindStartsAtZeroSoItsSeriesExistsBeforeTheFirstEmail() {
    for (String kind : NotifierMetrics.KINDS) {
      assertThat(count(NotifierMetrics.EMAILS_SENT, kind)).isZero();
      assertThat(count(NotifierMetrics.EMAILS_FAILED, kind)).isZero();
    }
  }

  @Test
  void sentEmailsAreCountedByKindButAResendDuplicateIsNoNewEmail() {
    metrics.sent("completed", new ResendOutcome("e1", false));
    metrics.sent("completed", new ResendOutcome(null, true));
    metrics.sent("failed", new ResendOutcome("e2", false));

    assertThat(count(NotifierMetrics.EMAILS_SENT, "completed")).isEqualTo(1);
    assertThat(count(NotifierMetrics.EMAILS_SENT, "failed")).isEqualTo(1);
  }

  @Test
  void refusedEmailsAreCountedAsFailedByKind() {
    metrics.rejected("failed");

    assertThat(count(NotifierMetrics.EMAILS_FAILED, "failed")).isEqualTo(1);
    assertThat(count(NotifierMetrics.EMAILS_FAILED, "completed")).isZero();
  }
}
