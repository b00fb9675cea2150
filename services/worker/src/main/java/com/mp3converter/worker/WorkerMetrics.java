package com.mp3converter.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The worker's own meters, every name in one place: how long conversions take and how that compares with the
 * audio's length, and the bytes that come in from sources and go out to the object store. Prometheus names:
 * {@code mp3_conversion_seconds} and {@code mp3_conversion_per_audio_second_seconds} (histograms, tag
 * {@code step}: {@code job}, the whole job from taking its message to its stored MP3, or {@code encode}, ffmpeg
 * alone), {@code mp3_source_downloaded_bytes_total}, {@code mp3_storage_uploaded_bytes_total}.
 *
 * <p>The ratio to the audio's length is a timer too (seconds of work per second of audio), not a distribution
 * summary: Micrometer rounds a summary's values up to whole numbers for its histogram buckets, and the ratio is
 * far below 1.
 */
public final class WorkerMetrics {
  static final String CONVERSION = "mp3.conversion";
  static final String CONVERSION_PER_AUDIO_SECOND = "mp3.conversion.per.audio.second";
  static final String SOURCE_DOWNLOADED_BYTES = "mp3.source.downloaded.bytes";
  static final String STORAGE_UPLOADED_BYTES = "mp3.storage.uploaded.bytes";

  /** The {@code step} tag: the whole job, or ffmpeg's encode alone. */
  enum Step {
    JOB,
    ENCODE;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Bucket bounds for job and encode times: seconds for short tracks up to ffmpeg's time limit. */
  private static final Duration[] TIME_BUCKETS = {
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
    Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15),
    Duration.ofMinutes(30)};
  /**
   * Bucket bounds for time per second of audio: ffmpeg alone takes ~0.007 s here (136x real time); a whole job adds
   * the download, probes and upload; above 1 s a job takes longer than listening to it.
   */
  private static final Duration[] RATIO_BUCKETS = {
    Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofSeconds(2), Duration.ofSeconds(5)};

  private final Timer jobTime;
  private final Timer encodeTime;
  private final Timer jobRatio;
  private final Timer encodeRatio;
  private final Counter downloaded;
  private final Counter uploaded;

  public WorkerMetrics(MeterRegistry registry) {
    jobTime = time(registry, Step.JOB);
    encodeTime = time(registry, Step.ENCODE);
    jobRatio = ratio(registry, Step.JOB);
    encodeRatio = ratio(registry, Step.ENCODE);
    downloaded = Counter.builder(SOURCE_DOWNLOADED_BYTES).baseUnit("bytes")
        .description("Bytes of sources saved from users' URLs").register(registry);
    uploaded = Counter.builder(STORAGE_UPLOADED_BYTES).baseUnit("bytes")
        .description("Bytes of MP3s stored in the object store").register(registry);
  }

  private static Timer time(MeterRegistry registry, Step step) {
    return Timer.builder(CONVERSION).tag("step", step.tag())
        .description("Wall time of a conversion (job: message taken to MP3 stored; encode: ffmpeg alone)")
        .serviceLevelObjectives(TIME_BUCKETS).register(registry);
  }

  private static Timer ratio(MeterRegistry registry, Step step) {
    return Timer.builder(CONVERSION_PER_AUDIO_SECOND).tag("step", step.tag())
        .description("Wall time of a conversion per second of audio (0.01 s: 100 times faster than real time)")
        .serviceLevelObjectives(RATIO_BUCKETS).register(registry);
  }

  /** A source was saved to the job's folder. */
  public void downloaded(long bytes) {
    downloaded.increment(bytes);
  }

  /**
   * ffmpeg encoded a job's source.
   *
   * @param audioSeconds the source's duration per ffprobe; null when its container does not say (no ratio then)
   */
  public void encoded(Duration elapsed, Double audioSeconds) {
    record(encodeTime, encodeRatio, elapsed, audioSeconds);
  }

  /** A job was converted and its MP3 ({@code bytes} long, {@code audioSeconds} of audio) stored. */
  public void converted(Duration elapsed, long bytes, double audioSeconds) {
    record(jobTime, jobRatio, elapsed, audioSeconds);
    uploaded.increment(bytes);
  }

  private static void record(Timer time, Timer perAudioSecond, Duration elapsed, Double audioSeconds) {
    time.record(elapsed);
    if (audioSeconds != null && audioSeconds > 0) {
      perAudioSecond.record(Duration.ofNanos(Math.round(elapsed.toNanos() / audioSeconds)));
    }
  }
}
