package com.mp3converter.worker.media;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.worker.job.JobKeys;
import com.mp3converter.worker.source.SourceArrival;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ffmpeg started on the head of a source still arriving (convert.camel.yaml), and what makes its run stand or
 * fall. From the moment the head passed the probe ({@link #begin}), while ffmpeg reads the source from a pipe as it
 * arrives, another thread waits for the download's end and probes the whole file exactly as a job that waited for
 * it would ({@link MediaProbe#source}). The run stands only if the download ended well, the whole source passed,
 * ffmpeg would have been given the same arguments ({@link FfmpegCommand#sameRun}) and the run succeeded. Otherwise:
 *
 * <ul>
 *   <li>a failed download or a refused source fails the job with that reason, as it would have before ffmpeg
 *       started (ffmpeg is stopped at once: its input fails under it and it is killed, never shown an end);
 *   <li>a verdict that would change ffmpeg's arguments (tags or a picture the head did not show), or a run that
 *       failed on the pipe although the whole source passed (a container ffmpeg cannot read unseekable), is run
 *       again on the whole file: the answer is always the one a job that waited would have got.
 * </ul>
 */
public final class EarlyStart {
  private static final Logger LOG = LoggerFactory.getLogger(EarlyStart.class);

  private final ToolRunner tools;
  private final MediaProbe probe;
  private final FfmpegCommand ffmpeg;
  private final ExecutorService checks;

  /** @param checks runs each check of a whole source (one per job whose ffmpeg started early) */
  public EarlyStart(ToolRunner tools, MediaProbe probe, FfmpegCommand ffmpeg, ExecutorService checks) {
    this.tools = tools;
    this.probe = probe;
    this.ffmpeg = ffmpeg;
    this.checks = checks;
  }

  /**
   * What the whole source turned out to be.
   *
   * @param media the verdict on the whole file (the job goes on with it)
   * @param sameRun whether ffmpeg was given the arguments this verdict gives
   */
  public record WholeSource(SourceMedia media, boolean sameRun) {}

  /**
   * ffmpeg's run on a source still arriving: its input (the source as it arrives) and the check of the whole
   * source, which started when the head passed the probe.
   */
  public static final class EarlyRun {
    private final SourceArrival arrival;
    private CompletableFuture<WholeSource> check;
    private SourceArrival.FollowingStream input;
    private Exception refused;

    private EarlyRun(SourceArrival arrival) {
      this.arrival = arrival;
    }

    /** What ffmpeg reads: the source as it arrives; it fails at once if the check refused the run meanwhile. */
    public synchronized InputStream input() throws IOException {
      if (input == null) {
        input = arrival.follow();
        if (refused != null) {
          input.refuse(refused);
        }
      }
      return input;
    }

    private synchronized void refuse(Exception reason) {
      refused = reason;
      if (input != null) {
        input.refuse(reason);
      }
    }

    /** The whole source's length once it has been checked; null until then (progress waits for it). */
    public Double wholeDurationSeconds() {
      return check.isDone() && !check.isCompletedExceptionally() ? check.join().media().durationSeconds() : null;
    }
  }

  /**
   * Starts the check of a source whose head passed the probe while the rest is still arriving (worker-probe keeps
   * the answer as {@link JobKeys#EARLY_RUN}); nothing (null) when the probe saw the whole source.
   */
  public EarlyRun begin(
      @ExchangeProperty(JobKeys.JOB_DIR) Path dir,
      @ExchangeProperty(JobKeys.SOURCE_PROBED_WHOLE) Boolean probedWhole,
      @ExchangeProperty(JobKeys.SOURCE_ARRIVAL) SourceArrival arrival,
      @ExchangeProperty(JobKeys.SOURCE_MEDIA) SourceMedia head,
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    if (!Boolean.FALSE.equals(probedWhole)) {
      return null;
    }
    EarlyRun run = new EarlyRun(arrival);
    run.check = CompletableFuture.supplyAsync(() -> {
      try {
        arrival.awaitEnd();
        SourceMedia whole = probe.source(tools.run(probe.sourceProbe(dir)), job);
        boolean sameRun = ffmpeg.sameRun(head, whole, job);
        if (!sameRun) {
          stop(run, dir, new IllegalStateException("The whole source asks for other arguments."));
        }
        return new WholeSource(whole, sameRun);
      } catch (Exception e) {
        stop(run, dir, e);
        throw new CompletionException(e);
      }
    }, checks);
    return run;
  }

  /**
   * ffmpeg's input fails under it (at its first read if it has not started yet, so it is killed then), and a
   * running ffmpeg is stopped.
   */
  private void stop(EarlyRun run, Path dir, Exception reason) {
    run.refuse(reason);
    tools.stopJob(dir.getFileName().toString());
  }

  /**
   * After ffmpeg (a bean step): the outcome of a run that stands (or of a run on a whole file: no early run); null
   * when the run must be made again on the whole file. The check's verdict replaces the head's; a failed download
   * or a refused source throws the job's failure.
   */
  public ToolOutcome settle(
      @Body ToolOutcome outcome,
      @ExchangeProperty(JobKeys.EARLY_RUN) EarlyRun run,
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job,
      Exchange exchange) throws Exception {
    if (run == null) {
      return outcome;
    }
    exchange.removeProperty(JobKeys.EARLY_RUN);
    WholeSource whole = useWhole(run, exchange);
    if (whole.sameRun() && outcome.succeeded()) {
      return outcome;
    }
    LOG.info("Job {}: ffmpeg runs again on the whole source ({})", job.jobId(), whole.sameRun()
        ? "reading it as it arrived failed: exit " + outcome.exitValue() : "it asks for other arguments");
    return null;
  }

  /**
   * Waits for the check, and makes its verdict the job's ({@link JobKeys#SOURCE_MEDIA}, {@link
   * JobKeys#SOURCE_PROBED_WHOLE}); a failed download or a refused source throws its own exception.
   */
  private static WholeSource useWhole(EarlyRun run, Exchange exchange) throws Exception {
    WholeSource whole;
    try {
      whole = run.check.get();
    } catch (ExecutionException e) {
      // The download's or the probe's own exception: the job fails with its reason.
      if (e.getCause() instanceof Exception failure) {
        throw failure;
      }
      throw e;
    }
    exchange.setProperty(JobKeys.SOURCE_MEDIA, whole.media());
    exchange.setProperty(JobKeys.SOURCE_PROBED_WHOLE, true);
    return whole;
  }
}
