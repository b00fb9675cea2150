package com.mp3converter.worker.media;

import com.mp3converter.shared.messages.Bitrate;
import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.worker.WorkerMetrics;
import com.mp3converter.worker.job.JobKeys;
import com.mp3converter.worker.job.JobWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ffmpeg run that turns the probed source into the output file (routes/worker/convert.camel.yaml): an argument
 * list built only from our own file names, the probed demuxer, the output format, the job's bitrate, our limits,
 * and the source's sanitised tags ({@link TrackTags}) written as ID3v2.3.
 */
public final class FfmpegCommand {
  private static final Logger LOG = LoggerFactory.getLogger(FfmpegCommand.class);
  /** Largest side, in pixels, of a carried-over picture. */
  static final int PICTURE_SIDE = 500;

  private final String ffmpeg;
  private final Duration timeout;
  private final long maxDurationSeconds;
  private final OutputFormat format;
  private final WorkerMetrics metrics;
  private final boolean pictures;

  /** @param pictures whether a source's attached picture is carried over (mp3.id3-pictures) */
  public FfmpegCommand(String ffmpeg, Duration timeout, long maxDurationSeconds, OutputFormat format,
      WorkerMetrics metrics, boolean pictures) {
    this.pictures = pictures;
    this.ffmpeg = ffmpeg;
    this.timeout = timeout;
    this.maxDurationSeconds = maxDurationSeconds;
    this.format = format;
    this.metrics = metrics;
  }

  /**
   * @param media what the probe found: its demuxer (anything else is refused here rather than handed to ffmpeg),
   *     its sanitised tags and its attached picture
   * @param pictures whether an attached picture is carried over (mp3.id3-pictures)
   */
  public static List<String> arguments(Path input, SourceMedia media, Path output, OutputFormat format,
      Bitrate bitrate, long maxDurationSeconds, boolean pictures) {
    return arguments("file", "file:" + input.toAbsolutePath(), media, output, format, bitrate, maxDurationSeconds,
        pictures);
  }

  /**
   * The same run reading the source on its standard input (a source still arriving, {@link EarlyStart}): the pipe
   * is then the only protocol ffmpeg may open.
   */
  public static List<String> argumentsReadingStdin(SourceMedia media, Path output, OutputFormat format,
      Bitrate bitrate, long maxDurationSeconds, boolean pictures) {
    return arguments("pipe", "pipe:0", media, output, format, bitrate, maxDurationSeconds, pictures);
  }

  private static List<String> arguments(String protocol, String input, SourceMedia media, Path output,
      OutputFormat format, Bitrate bitrate, long maxDurationSeconds, boolean pictures) {
    String inputFormat = media.inputFormat();
    if (!MediaFormats.isInputFormat(inputFormat)) {
      throw new IllegalArgumentException("Not an accepted input format: " + inputFormat);
    }
    boolean picture = pictures && media.pictureStream() != null;
    List<String> arguments = new ArrayList<>(List.of(
        "-nostdin", "-hide_banner", "-v", "error",
        // How far it got, as key=value lines on standard output (JobProgress); no stats line on stderr.
        "-progress", "pipe:1", "-nostats",
        // Only the local file (or the pipe it arrives on) is opened: no network protocols, nothing an input
        // could name.
        "-protocol_whitelist", protocol,
        // The demuxer the probe accepted, never ffmpeg's own guess.
        "-f", inputFormat,
        "-i", input,
        // The first audio stream only: no subtitles or data, and no video or cover art unless allowed below.
        "-map", "0:a:0"));
    if (picture) {
      arguments.addAll(List.of("-map", "0:" + media.pictureStream(), "-sn", "-dn"));
    } else {
      arguments.addAll(List.of("-vn", "-sn", "-dn"));
    }
    arguments.addAll(List.of(
        // None of the source's tags and chapters are copied: they are a stranger's text. Only the few tags
        // TrackTags sanitised are written, explicitly, below.
        "-map_metadata", "-1", "-map_chapters", "-1",
        "-t", Long.toString(maxDurationSeconds),
        "-c:a", format.encoder()));
    arguments.addAll(format.encoderOptions(bitrate));
    if (picture) {
      // One picture, re-encoded as a JPEG of at most 500 pixels a side: a bounded size whatever the source held.
      arguments.addAll(List.of(
          "-c:v", "mjpeg", "-q:v", "4", "-frames:v", "1",
          "-vf", "scale=w='min(" + PICTURE_SIDE + ",iw)':h='min(" + PICTURE_SIDE + ",ih)'"
              + ":force_original_aspect_ratio=decrease",
          "-disposition:v:0", "attached_pic"));
    }
    // ID3v2.3: the version most players read.
    arguments.addAll(List.of("-id3v2_version", "3"));
    media.tags().ffmpegMetadata().forEach((key, value) -> arguments.addAll(List.of("-metadata", key + "=" + value)));
    arguments.addAll(List.of(
        "-fs", Long.toString(outputCap(format, maxDurationSeconds)),
        // An input that decodes to nothing must fail instead of leaving an empty file behind.
        "-abort_on", "empty_output",
        "-f", format.muxer(),
        "-y", "file:" + output.toAbsolutePath()));
    return List.copyOf(arguments);
  }

  /** The {@code -fs} cap: the longest accepted recording at the highest bitrate; reaching it means truncation. */
  public static long outputCap(OutputFormat format, long maxDurationSeconds) {
    return Math.addExact(Math.multiplyExact(maxDurationSeconds, format.maxBytesPerSecond()), 1 << 20);
  }

  /** The job's bitrate; none means the default, an unknown label fails the job. */
  public static Bitrate bitrate(ConversionRequested job) {
    if (job.bitrate() == null || job.bitrate().isBlank()) {
      return Bitrate.DEFAULT;
    }
    return Bitrate.fromLabel(job.bitrate()).orElseThrow(() -> new ConversionException(
        FailureReason.CONVERSION_FAILED, "Unknown bitrate '" + job.bitrate() + "'."));
  }

  /** A new listener for the run's progress lines (worker-convert keeps it as {@link JobKeys#ENCODER_REPORT}). */
  public EncoderReport report() {
    return new EncoderReport();
  }

  /**
   * The run that converts the job's source (worker-convert sends it to the exec endpoint): from the file, or, when
   * the probe judged only the head of a source still arriving (an early run), from its standard input as the
   * source arrives.
   */
  public ToolRun conversion(
      @ExchangeProperty(JobKeys.JOB_DIR) Path dir,
      @ExchangeProperty(JobKeys.SOURCE_MEDIA) SourceMedia media,
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job,
      @ExchangeProperty(JobKeys.ENCODER_REPORT) EncoderReport report,
      @ExchangeProperty(JobKeys.EARLY_RUN) EarlyStart.EarlyRun earlyRun) throws IOException {
    Path output = dir.resolve(JobWorkspace.OUTPUT_FILE);
    if (earlyRun != null) {
      return new ToolRun(ffmpeg,
          argumentsReadingStdin(media, output, format, bitrate(job), maxDurationSeconds, pictures), dir, timeout,
          report, earlyRun.input());
    }
    return new ToolRun(ffmpeg, arguments(dir.resolve(JobWorkspace.SOURCE_FILE), media, output, format, bitrate(job),
        maxDurationSeconds, pictures), dir, timeout, report);
  }

  /**
   * Whether ffmpeg runs with the same arguments for both verdicts on a source: a run started on what its head
   * told stands only if the whole source tells the same ({@link EarlyStart}).
   */
  public boolean sameRun(SourceMedia head, SourceMedia whole, ConversionRequested job) {
    Path any = Path.of(JobWorkspace.SOURCE_FILE);
    return arguments(any, head, any, format, bitrate(job), maxDurationSeconds, pictures)
        .equals(arguments(any, whole, any, format, bitrate(job), maxDurationSeconds, pictures));
  }

  /**
   * ffmpeg succeeded only if it exited 0 in time, reported the end of its work and a length of audio, and left a
   * non-empty file below the size cap; a success is measured (encode time, and per second of the source's audio).
   * When the source did not state its length, ffmpeg's {@code -t} cut it at the limit: an output that long means
   * the recording was longer than we accept, not a complete conversion.
   *
   * @return the output file: its size on disk, the duration ffmpeg reported, the name it is offered under
   */
  public OutputFile verify(
      @Body ToolOutcome outcome,
      @ExchangeProperty(JobKeys.JOB_DIR) Path dir,
      @ExchangeProperty(JobKeys.SOURCE_MEDIA) SourceMedia media,
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job,
      @ExchangeProperty(JobKeys.ENCODER_REPORT) EncoderReport report) throws IOException {
    if (outcome.timedOut()) {
      LOG.warn("Job {}: ffmpeg was stopped after {} s", job.jobId(), timeout.toSeconds());
      throw new ConversionException(FailureReason.TIMEOUT, "ffmpeg did not finish within " + timeout.toSeconds() + " s.");
    }
    if (outcome.exitValue() != 0) {
      LOG.warn("Job {}: ffmpeg failed (exit {}): {}", job.jobId(), outcome.exitValue(), outcome.stderr().strip());
      throw new ConversionException(FailureReason.CONVERSION_FAILED, "ffmpeg exited with " + outcome.exitValue() + ".");
    }
    Path output = dir.resolve(JobWorkspace.OUTPUT_FILE);
    long size = Files.isRegularFile(output) ? Files.size(output) : 0;
    if (size == 0) {
      throw new ConversionException(FailureReason.CONVERSION_FAILED, "ffmpeg wrote no audio.");
    }
    if (size >= outputCap(format, maxDurationSeconds)) {
      throw new ConversionException(FailureReason.CONVERSION_FAILED, "ffmpeg reached the output size cap.");
    }
    OptionalDouble duration = report.durationSeconds();
    if (duration.isEmpty()) {
      throw new ConversionException(FailureReason.CONVERSION_FAILED,
          "ffmpeg did not report the length of the " + format.displayName() + " it wrote.");
    }
    if (media.durationSeconds() == null && duration.getAsDouble() >= maxDurationSeconds) {
      throw new ConversionException(FailureReason.TOO_LONG, "The recording reached the duration limit.");
    }
    metrics.encoded(outcome.elapsed(), media.durationSeconds());
    return new OutputFile(output, size, duration.getAsDouble(), MediaProbe.filename(job, media.tags(), format));
  }
}
