package com.mp3converter.worker.media;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.DownloadFilenames;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.worker.job.JobKeys;
import com.mp3converter.worker.job.JobWorkspace;
import com.mp3converter.worker.source.SourceArrival;
import com.mp3converter.worker.source.SourceDownloadException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ffprobe before ffmpeg (routes/worker/probe.camel.yaml): the source must be a single audio file of an accepted
 * container and length (its tags are read and sanitised on the way). The output is not probed again: ffmpeg reports
 * its length ({@link EncoderReport}); it is named for the completed event here ({@link #filename}).
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

  /** The run that probes the job's source (worker-probe sends it to the exec endpoint). */
  public ToolRun sourceProbe(@ExchangeProperty(JobKeys.JOB_DIR) Path dir) {
    return new ToolRun(ffprobe, sourceArguments(dir.resolve(JobWorkspace.SOURCE_FILE)), dir, timeout);
  }

  /**
   * Judges the source (worker-probe keeps the verdict as {@link JobKeys#SOURCE_MEDIA}); a probe that fails or
   * runs out of time means we cannot read the file.
   */
  public SourceMedia source(@Body ToolOutcome outcome, @ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    if (!outcome.succeeded()) {
      LOG.info("Job {}: ffprobe refused the source (exit {}{}): {}", job.jobId(), outcome.exitValue(),
          outcome.timedOut() ? ", timed out" : "", outcome.stderr().strip());
      throw new ConversionException(FailureReason.NOT_AUDIO,
          outcome.timedOut() ? "Probing the source took too long." : "ffprobe could not read the source.");
    }
    return ProbeVerdicts.source(outcome.stdout(), maxDurationSeconds);
  }

  /**
   * Judges what has arrived of the source (worker-probe loops while this answers null). A verdict on the whole
   * source is final, as {@link #source}. A source still arriving was shown its head: if the head passes and ffmpeg
   * can read its container as it arrives, that verdict lets ffmpeg start ({@link EarlyStart} checks the whole
   * source later); anything else (a refusal included: the head may just be too short to tell) waits for the rest
   * of the source, whose download failure fails the job here, and answers null: the whole source is probed next.
   *
   * @param probedWhole whether the source had arrived whole before ffprobe started
   */
  public SourceMedia sourceSoFar(
      @Body ToolOutcome outcome,
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job,
      @ExchangeProperty(JobKeys.SOURCE_PROBED_WHOLE) Boolean probedWhole,
      @ExchangeProperty(JobKeys.SOURCE_ARRIVAL) SourceArrival arrival)
      throws SourceDownloadException, InterruptedException {
    if (!Boolean.FALSE.equals(probedWhole)) {
      return source(outcome, job);
    }
    if (outcome.succeeded()) {
      try {
        SourceMedia head = ProbeVerdicts.source(outcome.stdout(), maxDurationSeconds);
        if (MediaFormats.readsFromPipe(head.inputFormat())) {
          return head;
        }
      } catch (ConversionException notFromTheHead) {
        LOG.debug("Job {}: the source's head does not tell ({}); probing the whole source", job.jobId(),
            notFromTheHead.getMessage());
      }
    }
    arrival.awaitEnd();
    return null;
  }

  /**
   * The name the output is offered under: the source's title, else its own name (a URL's last path segment, an
   * upload's file name).
   */
  public static String filename(ConversionRequested job, TrackTags tags, OutputFormat format) {
    return DownloadFilenames.of(tags.title(), job.sourceName(), job.jobId(), format);
  }
}
