package com.mp3converter.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerPropertiesTest {
  @Test
  void ffprobeIsFoundNextToFfmpegUnlessNamed() {
    assertThat(ffmpeg("ffmpeg", "").effectiveFfprobePath()).isEqualTo("ffprobe");
    assertThat(ffmpeg("/opt/ffmpeg/bin/ffmpeg", null).effectiveFfprobePath()).isEqualTo("/opt/ffmpeg/bin/ffprobe");
    assertThat(ffmpeg("/usr/bin/ffmpeg", "/srv/probe").effectiveFfprobePath()).isEqualTo("/srv/probe");
  }

  @Test
  void concurrencyDefaultsToTheProcessors() {
    WorkerProperties.Retry retry = new WorkerProperties.Retry(3);
    assertThat(new WorkerProperties.Worker(0, 1, Path.of("/tmp"), retry, true).effectiveConcurrency())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(new WorkerProperties.Worker(3, 1, Path.of("/tmp"), retry, true).effectiveConcurrency()).isEqualTo(3);
  }

  private static WorkerProperties.Ffmpeg ffmpeg(String path, String ffprobe) {
    return new WorkerProperties.Ffmpeg(path, ffprobe, Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofSeconds(5));
  }
}
