package com.mp3converter.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WorkerMetrics metrics = new WorkerMetrics(registry);

  private Timer ratio(String step) {
    return registry.get(WorkerMetrics.CONVERSION_PER_AUDIO_SECOND).tag("step", step).timer();
  }

  @Test
  void aConvertedJobRecordsItsTimeItsTimePerSecondOfAudioAndTheBytesUploaded() {
    metrics.converted(Duration.ofSeconds(3), 4_000_000, 180.0);

    assertThat(registry.get(WorkerMetrics.CONVERSION).tag("step", "job").timer().totalTime(TimeUnit.SECONDS))
        .isEqualTo(3.0);
    assertThat(ratio("job").totalTime(TimeUnit.SECONDS)).isCloseTo(3.0 / 180.0, within(1e-9));
    assertThat(registry.get(WorkerMetrics.STORAGE_UPLOADED_BYTES).counter().count()).isEqualTo(4_000_000);
    assertThat(ratio("encode").count()).isZero();
  }

  @Test
  void anEncodeOfASourceWithoutADurationHasATimeButNoRatio() {
    metrics.encoded(Duration.ofMillis(1330), null);
    metrics.encoded(Duration.ofMillis(1330), 0.0);
    metrics.encoded(Duration.ofMillis(1330), 180.0);

    assertThat(registry.get(WorkerMetrics.CONVERSION).tag("step", "encode").timer().count()).isEqualTo(3);
    assertThat(ratio("encode").count()).isEqualTo(1);
    assertThat(ratio("encode").totalTime(TimeUnit.SECONDS)).isCloseTo(1.33 / 180.0, within(1e-9));
  }

  @Test
  void downloadedBytesAddUp() {
    metrics.downloaded(1000);
    metrics.downloaded(24);

    assertThat(registry.get(WorkerMetrics.SOURCE_DOWNLOADED_BYTES).counter().count()).isEqualTo(1024);
    assertThat(registry.get(WorkerMetrics.SOURCE_DOWNLOADED_BYTES).counter().getId().getBaseUnit())
        .isEqualTo("bytes");
  }

  @Test
  void theHistogramsHaveBucketsThatFitTheirValues() {
    metrics.encoded(Duration.ofMillis(1330), 180.0);

    // ~0.0074 s per second of audio falls between the 0.005 and 0.01 buckets, not in the first or the last one.
    var buckets = ratio("encode").takeSnapshot().histogramCounts();
    assertThat(buckets).anySatisfy(b -> {
      assertThat(b.bucket(TimeUnit.SECONDS)).isEqualTo(0.005);
      assertThat(b.count()).isZero();
    });
    assertThat(buckets).anySatisfy(b -> {
      assertThat(b.bucket(TimeUnit.SECONDS)).isEqualTo(0.01);
      assertThat(b.count()).isEqualTo(1);
    });
  }
}
