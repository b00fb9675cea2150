package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.worker.WorkerMetrics;
import com.mp3converter.worker.WorkerMetrics.Step;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Times each step of a job where the routes hand it over: every step is a route of its own behind a direct
 * endpoint, and Camel reports how long each send to such an endpoint took (an {@link ExchangeSentEvent}). So the
 * routes carry no timing code, and a step that fails is timed too (its time was spent). The wait in the queue is
 * taken when the job is accepted: from the gateway's {@code requestedAt} to now, for a first attempt's first
 * delivery only (a retry or a redelivery would count the earlier attempts' time as waiting). The two clocks are
 * different machines' in a cluster: a negative wait (skew) is not recorded.
 */
public final class JobStepTimer extends EventNotifierSupport {
  static final String ACCEPT = "worker-accept";
  /** The step routes' direct endpoints and the step each one is. */
  static final Map<String, Step> STEPS = Map.of(
      "worker-download", Step.DOWNLOAD,
      "worker-fetch-upload", Step.FETCH,
      "worker-probe", Step.PROBE,
      "worker-convert", Step.CONVERT,
      "worker-upload", Step.UPLOAD,
      "worker-stored", Step.LOOKUP,
      "worker-started", Step.PUBLISH,
      "worker-completed", Step.PUBLISH);

  private final WorkerMetrics metrics;
  private final Clock clock;

  public JobStepTimer(WorkerMetrics metrics, Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
    // Only sends are of interest: Camel then skips building every other event for this notifier. The sending
    // event must stay enabled: Camel starts the stopwatch of a send only when some notifier takes that event.
    setIgnoreCamelContextEvents(true);
    setIgnoreCamelContextInitEvents(true);
    setIgnoreRouteEvents(true);
    setIgnoreServiceEvents(true);
    setIgnoreExchangeCreatedEvent(true);
    setIgnoreExchangeCompletedEvent(true);
    setIgnoreExchangeFailedEvents(true);
    setIgnoreExchangeRedeliveryEvents(true);
    setIgnoreExchangeAsyncProcessingStartedEvents(true);
    setIgnoreStepEvents(true);
  }

  @Override
  public boolean isEnabled(CamelEvent event) {
    return event instanceof ExchangeSendingEvent || event instanceof ExchangeSentEvent;
  }

  @Override
  public void notify(CamelEvent event) {
    if (!(event instanceof ExchangeSentEvent sent)) {
      return;
    }
    String route = directName(sent.getEndpoint().getEndpointUri());
    if (route == null) {
      return;
    }
    Step step = STEPS.get(route);
    if (step != null) {
      metrics.step(step, Duration.ofMillis(sent.getTimeTaken()));
    } else if (route.equals(ACCEPT)) {
      queueWait(sent.getExchange(), clock.instant()).ifPresent(wait -> metrics.step(Step.QUEUE_WAIT, wait));
    }
  }

  /** The name of a direct endpoint ({@code direct://worker-probe} or {@code direct:worker-probe}), else null. */
  static String directName(String uri) {
    if (uri == null || !uri.startsWith("direct:")) {
      return null;
    }
    String name = uri.substring("direct:".length());
    if (name.startsWith("//")) {
      name = name.substring(2);
    }
    int options = name.indexOf('?');
    return options < 0 ? name : name.substring(0, options);
  }

  /** How long an accepted job waited in the queue, when that can be told (see the class comment). */
  static Optional<Duration> queueWait(Exchange exchange, Instant now) {
    ConversionRequested job = exchange.getProperty(JobKeys.JOB, ConversionRequested.class);
    if (job == null || job.requestedAt() == null || job.attempt() > 1
        || Boolean.TRUE.equals(exchange.getMessage().getHeader("CamelSpringRabbitmqRedelivered", Boolean.class))
        || "true".equals(exchange.getMessage().getHeader("x-mp3-requeued", String.class))) {
      return Optional.empty();
    }
    Duration wait = Duration.between(job.requestedAt(), now);
    return wait.isNegative() ? Optional.empty() : Optional.of(wait);
  }
}
