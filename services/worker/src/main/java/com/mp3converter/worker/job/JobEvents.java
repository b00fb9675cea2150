package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionFailed;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.ConversionStarted;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.worker.WorkerMetrics;
import com.mp3converter.worker.media.OutputFile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/** The events the worker publishes about a job (marshalled by the routes with the message mapper). */
public final class JobEvents {
  private final Clock clock;
  private final OutputFormat format;
  private final WorkerMetrics metrics;

  public JobEvents(Clock clock, OutputFormat format, WorkerMetrics metrics) {
    this.clock = clock;
    this.format = format;
    this.metrics = metrics;
  }

  public ConversionStarted started(@ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    return new ConversionStarted(ConversionStarted.VERSION, job.jobId(), job.userId(), now(), job.attempt());
  }

  /**
   * The completed event. A job converted in this delivery is measured here, at its end: its wall time since its
   * message was taken (the exchange's creation), and its MP3's bytes as uploaded. One found already stored (a
   * redelivery) was measured when it was converted.
   */
  public ConversionCompleted completed(
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job, @ExchangeProperty(JobKeys.OUTPUT) OutputFile output,
      Exchange exchange) {
    if (output.path() != null) {
      metrics.converted(Duration.ofMillis(exchange.getClock().elapsed()), output.bytes(), output.durationSeconds());
    }
    return new ConversionCompleted(ConversionCompleted.VERSION, job.jobId(), job.userId(), job.email(), job.name(),
        ObjectKeys.output(job.userId(), job.jobId(), format), output.bytes(), output.durationSeconds(), now(),
        output.filename(), job.attempt());
  }

  /** The user reads {@code message}: it is the reason's fixed sentence, never an exception text or a path. */
  public ConversionFailed failed(
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job, @ExchangeProperty(JobKeys.FAILURE) Failure failure) {
    return new ConversionFailed(ConversionFailed.VERSION, job.jobId(), job.userId(), job.email(), job.name(),
        failure.reason().code(), failure.reason().userMessage(), now(), job.attempt());
  }

  private Instant now() {
    return clock.instant();
  }
}
