package com.mp3converter.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The worker's own meters, every name in one place: how long conversions take and how that compares with the
 * audio's length, and the bytes that come in from sources and go out to the object store. Prometheus names:
 * {@code mp3_conversion_seconds} (histogram, tag {@code step}: {@code job}, the whole job from taking its message to
 * its stored MP3; {@code encode}, ffmpeg alone; and each part of a job, {@link Step}), {@code
 * mp3_conversion_per_audio_second_seconds} (histogram, {@code job} and {@code encode} only), {@code
 * mp3_source_downloaded_bytes_total}, {@code mp3_storage_uploaded_bytes_total}, and the gauges {@code
 * mp3_worker_encoders} and {@code mp3_worker_encoders_busy} (ffmpeg slots configured and in use, WorkerCapacity). The gateway adds {@code
 * step="status_update"} to the same name (GatewayMetrics), so one query shows where a job's time goes.
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
  static final String ENCODERS_BUSY = "mp3.worker.encoders.busy";
  static final String ENCODERS = "mp3.worker.encoders";

  /**
   * The {@code step} tag: the whole job, ffmpeg's encode alone, and the parts of a job as the worker's routes run
   * them (JobStepTimer times the step routes).
   */
  public enum Step {
    JOB,
    ENCODE,
    /** From the gateway's requestedAt to the worker taking the message (first attempt, first delivery). */
    QUEUE_WAIT,
    /** worker-download: the source fetched from its URL. */
    DOWNLOAD,
    /** worker-fetch-upload: an uploaded source read from the object store. */
    FETCH,
    /** worker-probe: ffprobe on the source. */
    PROBE,
    /** worker-convert: ffmpeg and the check of its output (encode is ffmpeg alone). */
    CONVERT,
    /** worker-upload: the output stored. */
    UPLOAD,
    /** worker-stored: is a redelivered job's output already stored? */
    LOOKUP,
    /** worker-started, worker-completed: an event published and confirmed. */
    PUBLISH;

    public String tag() {
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

  private final Map<Step, Timer> times = new EnumMap<>(Step.class);
  private final Timer jobRatio;
  private final Timer encodeRatio;
  private final Counter downloaded;
  private final Counter uploaded;
  private final MeterRegistry registry;

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Step step : Step.values()) {
      times.put(step, time(registry, step));
    }
    jobRatio = ratio(registry, Step.JOB);
    encodeRatio = ratio(registry, Step.ENCODE);
    downloaded = Counter.builder(SOURCE_DOWNLOADED_BYTES).baseUnit("bytes")
        .description("Bytes of sources saved from users' URLs").register(registry);
    uploaded = Counter.builder(STORAGE_UPLOADED_BYTES).baseUnit("bytes")
        .description("Bytes of MP3s stored in the object store").register(registry);
  }

  private static Timer time(MeterRegistry registry, Step step) {
    return Timer.builder(CONVERSION).tag("step", step.tag())
        .description("Wall time of a conversion (job: message taken to MP3 stored; encode: ffmpeg alone) and of each"
            + " of its steps")
        .serviceLevelObjectives(TIME_BUCKETS).register(registry);
  }

  private static Timer ratio(MeterRegistry registry, Step step) {
    return Timer.builder(CONVERSION_PER_AUDIO_SECOND).tag("step", step.tag())
        .description("Wall time of a conversion per second of audio (0.01 s: 100 times faster than real time)")
        .serviceLevelObjectives(RATIO_BUCKETS).register(registry);
  }

  /** The encoder slots, configured and in use: a busy count below the configured one with jobs queued is a gap. */
  public void watch(WorkerCapacity capacity) {
    Gauge.builder(ENCODERS, capacity, WorkerCapacity::encoders)
        .description("ffmpeg processes this worker runs at once at most").register(registry);
    Gauge.builder(ENCODERS_BUSY, capacity, WorkerCapacity::encodersBusy)
        .description("ffmpeg processes running now").register(registry);
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
    record(times.get(Step.ENCODE), encodeRatio, elapsed, audioSeconds);
  }

  /** A job was converted and its MP3 ({@code bytes} long, {@code audioSeconds} of audio) stored. */
  public void converted(Duration elapsed, long bytes, double audioSeconds) {
    record(times.get(Step.JOB), jobRatio, elapsed, audioSeconds);
    uploaded.increment(bytes);
  }

  /** One of a job's steps took {@code elapsed} (JobStepTimer; job and encode are recorded above). */
  public void step(Step step, Duration elapsed) {
    times.get(step).record(elapsed);
  }

  private static void record(Timer time, Timer perAudioSecond, Duration elapsed, Double audioSeconds) {
    time.record(elapsed);
    if (audioSeconds != null && audioSeconds > 0) {
      perAudioSecond.record(Duration.ofNanos(Math.round(elapsed.toNanos() / audioSeconds)));
    }
  }
}
