package com.mp3converter.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.gateway.conversions.StatusChange;
import com.mp3converter.shared.messages.FailureReason;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(registry);

  private double failed(String reason) {
    return registry.get(GatewayMetrics.JOBS_FAILED).tag("reason", reason).counter().count();
  }

  @Test
  void completedAndFailedJobsAreCountedByTheirFinalState() {
    metrics.statusApplied(StatusChange.started(UUID.randomUUID()));
    metrics.statusApplied(StatusChange.completed(UUID.randomUUID(), "k", 10, 1.5));
    metrics.statusApplied(StatusChange.failed(UUID.randomUUID(), "not_audio", "The file is not audio."));
    metrics.statusApplied(StatusChange.failed(UUID.randomUUID(), "not_audio", "The file is not audio."));

    assertThat(registry.get(GatewayMetrics.JOBS_COMPLETED).counter().count()).isEqualTo(1);
    assertThat(failed("not_audio")).isEqualTo(2);
    assertThat(failed("timeout")).isZero();
  }

  @Test
  void theReasonTagTakesOnlyFailureReasonCodesWhateverAnEventSays() {
    metrics.statusApplied(StatusChange.failed(UUID.randomUUID(), "made-up <script>", "x"));
    metrics.statusApplied(StatusChange.failed(UUID.randomUUID(), null, "x"));

    assertThat(failed("internal_error")).isEqualTo(2);
    assertThat(registry.get(GatewayMetrics.JOBS_FAILED).counters()).hasSize(FailureReason.values().length)
        .allSatisfy(c -> assertThat(FailureReason.fromCode(c.getId().getTag("reason")).code())
            .isEqualTo(c.getId().getTag("reason")));
  }

  @Test
  void acceptedJobsAndServedBytesAreCounted() {
    metrics.accepted();
    metrics.accepted();
    metrics.servedBytes().increment(4096);

    assertThat(registry.get(GatewayMetrics.JOBS_ACCEPTED).counter().count()).isEqualTo(2);
    Meter served = registry.get(GatewayMetrics.DOWNLOADS_SERVED_BYTES).meter();
    assertThat(served.getId().getBaseUnit()).isEqualTo("bytes");
    assertThat(registry.get(GatewayMetrics.DOWNLOADS_SERVED_BYTES).counter().count()).isEqualTo(4096);
  }
}
