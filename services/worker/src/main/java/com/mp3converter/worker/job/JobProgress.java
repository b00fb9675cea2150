package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.ConversionProgress;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.worker.media.EarlyStart;
import com.mp3converter.worker.media.EncoderReport;
import com.mp3converter.worker.media.SourceMedia;
import com.mp3converter.worker.media.ToolRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a running conversion: ffmpeg writes {@code -progress pipe:1} key=value lines to its standard output,
 * {@link #watch} turns its {@code out_time_us} into a percentage of the probed duration and hands at most one
 * {@link ConversionProgress} a second (and only a higher figure) to {@code direct:worker-progress}
 * (events.camel.yaml), which publishes it to the gateway. A source without a probed duration reports none.
 */
public final class JobProgress {
  private static final Logger LOG = LoggerFactory.getLogger(JobProgress.class);
  public static final String ENDPOINT = "direct:worker-progress";
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  private final ProducerTemplate producer;
  private final Clock clock;

  public JobProgress(ProducerTemplate producer, Clock clock) {
    this.producer = producer;
    this.clock = clock;
  }

  /** The ffmpeg run with a listener on its progress lines, besides the run's own (the EncoderReport). */
  public ToolRun watch(@Body ToolRun run, @ExchangeProperty(JobKeys.JOB) ConversionRequested job,
      @ExchangeProperty(JobKeys.SOURCE_MEDIA) SourceMedia media,
      @ExchangeProperty(JobKeys.EARLY_RUN) EarlyStart.EarlyRun earlyRun) {
    // A run on a source still arriving has only its head's length (of the part that had arrived): the figures
    // wait for the whole source's, once it has been checked.
    Supplier<Double> duration = earlyRun != null ? earlyRun::wholeDurationSeconds
        : media == null ? () -> null : media::durationSeconds;
    Consumer<String> reporter = new Reporter(job, duration, this::publish, clock);
    return run.withStdoutLines(run.stdoutLines() == null ? reporter : run.stdoutLines().andThen(reporter));
  }

  private void publish(ConversionProgress progress) {
    try {
      producer.sendBody(ENDPOINT, progress);
    } catch (RuntimeException e) {
      // Progress is a hint: the next figure replaces a lost one, and the conversion never waits for it.
      LOG.debug("Progress of job {} not published: {}", progress.jobId(), e.getMessage());
    }
  }

  /** One conversion's lines to figures: throttled to one a second, never backwards, 100 only at the end. */
  static final class Reporter implements Consumer<String> {
    private final ConversionRequested job;
    private final Supplier<Double> durationSeconds;
    private final Consumer<ConversionProgress> sink;
    private final Clock clock;
    private Instant lastSent;
    private int lastPercent = -1;

    /** @param durationSeconds the source's length, or null while it is not known (then nothing is reported) */
    Reporter(ConversionRequested job, Supplier<Double> durationSeconds, Consumer<ConversionProgress> sink,
        Clock clock) {
      this.job = job;
      this.durationSeconds = durationSeconds;
      this.sink = sink;
      this.clock = clock;
    }

    @Override
    public void accept(String line) {
      OptionalLong micros = EncoderReport.outTimeMicros(line);
      Double duration = durationSeconds.get();
      if (micros.isEmpty() || duration == null || duration <= 0) {
        return;
      }
      int percent = percent(micros.getAsLong(), duration);
      Instant now = clock.instant();
      if (percent <= lastPercent || (lastSent != null && Duration.between(lastSent, now).compareTo(MIN_INTERVAL) < 0)) {
        return;
      }
      lastSent = now;
      lastPercent = percent;
      sink.accept(new ConversionProgress(ConversionProgress.VERSION, job.jobId(), job.attempt(), percent, now));
    }

    /** 0-99 while running: 100 is the completed event's to say. */
    static int percent(long outTimeMicros, double durationSeconds) {
      double share = outTimeMicros / (durationSeconds * 1_000_000d);
      return (int) Math.max(0, Math.min(99, Math.floor(share * 100)));
    }
  }
}
