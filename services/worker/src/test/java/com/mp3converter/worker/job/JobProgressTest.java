package com.mp3converter.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionProgress;
import com.mp3converter.shared.messages.ConversionRequested;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ffmpeg's -progress lines to progress events: the figure, the throttle, never backwards, never 100. */
class JobProgressTest {
  private static final ConversionRequested JOB = new ConversionRequested(1, "2b1f5c1e-8d0c-4e7e-9a8b-1c2d3e4f5a6b",
      "7c9e6679-7425-40de-944b-e07fc1f90ae7", "a@example.com", "A", "https://a.example/x.wav", "192k",
      Instant.EPOCH, 2);

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final List<ConversionProgress> sent = new ArrayList<>();

  private JobProgress.Reporter reporter(double durationSeconds) {
    return reporter(() -> durationSeconds);
  }

  private JobProgress.Reporter reporter(java.util.function.Supplier<Double> durationSeconds) {
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    return new JobProgress.Reporter(JOB, durationSeconds, sent::add, clock);
  }

  /**
   * ffmpeg reading a source still arriving knows only the head's length: nothing is reported until the whole
   * source's is known, then figures are shares of that.
   */
  @Test
  void nothingIsReportedUntilTheSourcesLengthIsKnown() {
    java.util.concurrent.atomic.AtomicReference<Double> whole = new java.util.concurrent.atomic.AtomicReference<>();
    JobProgress.Reporter reporter = reporter(whole::get);
    reporter.accept("out_time_us=50000000");
    assertThat(sent).isEmpty();

    whole.set(200.0);
    reporter.accept("out_time_us=60000000");
    assertThat(sent).singleElement().extracting(ConversionProgress::percent).isEqualTo(30);
  }

  @Test
  void outTimeIsAShareOfTheProbedDurationAndOnlyThatLineCounts() {
    JobProgress.Reporter reporter = reporter(200);
    reporter.accept("frame=0");
    reporter.accept("out_time=00:00:50.000000");
    reporter.accept("out_time_us=N/A");
    reporter.accept("progress=continue");
    assertThat(sent).isEmpty();
    reporter.accept("out_time_us=50000000");
    assertThat(sent).singleElement().satisfies(p -> {
      assertThat(p.percent()).isEqualTo(25);
      assertThat(p.jobId()).isEqualTo(JOB.jobId());
      assertThat(p.attempt()).isEqualTo(2);
    });
  }

  @Test
  void atMostOneEventASecondAndNeverBackwards() {
    JobProgress.Reporter reporter = reporter(100);
    reporter.accept("out_time_us=10000000");
    now = now.plusMillis(400);
    reporter.accept("out_time_us=20000000");
    assertThat(sent).hasSize(1);
    now = now.plus(Duration.ofMillis(700));
    reporter.accept("out_time_ms=5000000");
    assertThat(sent).hasSize(1);
    reporter.accept("out_time_ms=30000000");
    assertThat(sent).extracting(ConversionProgress::percent).containsExactly(10, 30);
  }

  @Test
  void theEndIsTheCompletedEventsToSaySoRunningStopsAt99() {
    assertThat(JobProgress.Reporter.percent(0, 10)).isZero();
    assertThat(JobProgress.Reporter.percent(9_999_999, 10)).isEqualTo(99);
    assertThat(JobProgress.Reporter.percent(10_000_000, 10)).isEqualTo(99);
    assertThat(JobProgress.Reporter.percent(50_000_000, 10)).isEqualTo(99);
  }
}
