package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EncoderReportTest {
  private static EncoderReport fed(String... lines) {
    EncoderReport report = new EncoderReport();
    for (String line : lines) {
      report.accept(line);
    }
    return report;
  }

  @Test
  void theLastBlocksOutTimeIsTheDuration() {
    EncoderReport report = fed("bitrate=N/A", "total_size=0", "out_time_us=N/A", "progress=continue",
        "total_size=2097152", "out_time_us=87405714", "out_time_ms=87405714", "out_time=00:01:27.405714",
        "progress=continue", "total_size=4321533", "out_time_us=180010862", "speed=121x", "progress=end");

    assertThat(report.durationSeconds()).hasValueCloseTo(180.010862, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void noDurationUntilTheLastBlockNorWithoutAnyAudio() {
    assertThat(fed("out_time_us=87405714", "progress=continue").durationSeconds()).isEmpty();
    assertThat(fed("out_time_us=0", "progress=end").durationSeconds()).isEmpty();
    assertThat(fed("out_time_us=N/A", "progress=end").durationSeconds()).isEmpty();
    assertThat(fed("progress=end").durationSeconds()).isEqualTo(OptionalDouble.empty());
  }

  @Test
  void readsOutTimeInMicrosecondsUnderEitherKeyAndNothingElse() {
    assertThat(EncoderReport.outTimeMicros("out_time_us=1500000")).hasValue(1_500_000);
    assertThat(EncoderReport.outTimeMicros("out_time_ms=1500000")).hasValue(1_500_000);
    assertThat(EncoderReport.outTimeMicros("out_time_us= 42 ")).hasValue(42);
    assertThat(EncoderReport.outTimeMicros("out_time_us=N/A")).isEqualTo(OptionalLong.empty());
    assertThat(EncoderReport.outTimeMicros("out_time_us=-5")).isEmpty();
    assertThat(EncoderReport.outTimeMicros("out_time_us=12x")).isEmpty();
    assertThat(EncoderReport.outTimeMicros("out_time=00:00:01.500000")).isEmpty();
    assertThat(EncoderReport.outTimeMicros("total_size=1500000")).isEmpty();
    assertThat(EncoderReport.outTimeMicros("progress")).isEmpty();
  }
}
