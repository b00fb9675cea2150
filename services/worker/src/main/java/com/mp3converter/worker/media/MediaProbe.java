package com.mp3converter.worker.media;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.worker.job.JobKeys;
import com.mp3converter.worker.job.JobWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ffprobe before and after ffmpeg (routes/worker/probe.camel.yaml and measure.camel.yaml): the source must be a
 * single audio file of an accepted container and length; the MP3 is measured for the completed event.
 */
public final class MediaProbe {
  private static final Logger LOG = LoggerFactory.getLogger(MediaProbe.class);

  private final String ffprobe;
  private final Duration timeout;
  private final long maxDurationSeconds;

  public MediaProbe(String ffprobe, Duration timeout, long maxDurationSeconds) {
    this.ffprobe = ffprobe;
    this.timeout = timeout;
    this.maxDurationSeconds = maxDurationSeconds;
  }

  /**
   * Only local files may be opened, and only accepted demuxers may claim the input: a playlist is refused by
   * ffprobe before it could open anything it names.
   */
  public static List<String> sourceArguments(Path source) {
    return List.of(
        "-v", "error", "-hide_banner",
        "-protocol_whitelist", "file",
        "-format_whitelist", MediaFormats.DEMUXER_WHITELIST,
        "-print_format", "json", "-show_format", "-show_streams",
        "-i", "file:" + source.toAbsolutePath());
  }

  public static List<String> mp3Arguments(Path mp3) {
    return List.of(
        "-v", "error", "-hide_banner",
        "-protocol_whitelist", "file",
        "-format_whitelist", "mp3",
        "-print_format", "json", "-show_format",
        "-i", "file:" + mp3.toAbsolutePath());
  }

  public void sourceCommand(Exchange exchange) {
    Path dir = exchange.getProperty(JobKeys.JOB_DIR, Path.class);
    ExecRuns.prepare(exchange, ffprobe, sourceArguments(dir.resolve(JobWorkspace.SOURCE_FILE)), timeout);
  }

  /** Judges the source; a probe that fails or runs out of time means we cannot read the file. */
  public void source(Exchange exchange) throws IOException {
    ExecRuns.Outcome outcome = ExecRuns.outcome(exchange);
    if (!outcome.succeeded()) {
      LOG.info("Job {}: ffprobe refused the source (exit {}{}): {}", jobId(exchange), outcome.exitValue(),
          outcome.timedOut() ? ", timed out" : "", outcome.stderr().strip());
      throw new ConversionException(FailureReason.NOT_AUDIO,
          outcome.timedOut() ? "Probing the source took too long." : "ffprobe could not read the source.");
    }
    exchange.setProperty(JobKeys.SOURCE_MEDIA, ProbeVerdicts.source(outcome.stdout(), maxDurationSeconds));
  }

  public void mp3Command(Exchange exchange) {
    Path dir = exchange.getProperty(JobKeys.JOB_DIR, Path.class);
    ExecRuns.prepare(exchange, ffprobe, mp3Arguments(dir.resolve(JobWorkspace.OUTPUT_FILE)), timeout);
  }

  /**
   * Measures the MP3. When the source did not state its length, ffmpeg's {@code -t} cut it at the limit: an
   * MP3 that long means the recording was longer than we accept, not a complete conversion.
   */
  public void mp3(Exchange exchange) throws IOException {
    ExecRuns.Outcome outcome = ExecRuns.outcome(exchange);
    if (!outcome.succeeded()) {
      LOG.warn("Job {}: ffprobe could not read the MP3 (exit {}): {}", jobId(exchange), outcome.exitValue(),
          outcome.stderr().strip());
      throw new ConversionException(FailureReason.CONVERSION_FAILED, "The MP3 could not be measured.");
    }
    double duration = ProbeVerdicts.mp3Duration(outcome.stdout());
    SourceMedia source = exchange.getProperty(JobKeys.SOURCE_MEDIA, SourceMedia.class);
    if (source.durationSeconds() == null && duration >= maxDurationSeconds) {
      throw new ConversionException(FailureReason.TOO_LONG, "The recording reached the duration limit.");
    }
    Path mp3 = exchange.getProperty(JobKeys.JOB_DIR, Path.class).resolve(JobWorkspace.OUTPUT_FILE);
    exchange.setProperty(JobKeys.MP3, new Mp3File(mp3, Files.size(mp3), duration));
  }

  private static Object jobId(Exchange exchange) {
    var job = exchange.getProperty(JobKeys.JOB, com.mp3converter.shared.messages.ConversionRequested.class);
    return job == null ? "?" : job.jobId();
  }
}
