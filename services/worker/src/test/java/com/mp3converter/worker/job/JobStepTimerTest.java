package com.mp3converter.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.worker.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class JobStepTimerTest {
  private static final Instant REQUESTED = Instant.parse("2026-12-05T17:00:00Z");
  private static final Instant NOW = REQUESTED.plusMillis(250);

  private static Exchange accepted(int attempt) {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.setProperty(JobKeys.JOB, new ConversionRequested(ConversionRequested.VERSION, "j", "u", "e@example.org",
        "n", "https://example.org/a.wav", "192k", REQUESTED, attempt));
    return exchange;
  }

  @Test
  void directEndpointsAreKnownByTheirNameWithOrWithoutSlashesAndOptions() {
    assertThat(JobStepTimer.directName("direct://worker-probe")).isEqualTo("worker-probe");
    assertThat(JobStepTimer.directName("direct:worker-probe")).isEqualTo("worker-probe");
    assertThat(JobStepTimer.directName("direct://worker-probe?timeout=5")).isEqualTo("worker-probe");
    assertThat(JobStepTimer.directName("spring-rabbitmq://mp3")).isNull();
    assertThat(JobStepTimer.directName(null)).isNull();
  }

  @Test
  void aSendToAStepRouteIsRecordedUnderItsStep() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DefaultCamelContext camel = new DefaultCamelContext()) {
      camel.getManagementStrategy().addEventNotifier(new JobStepTimer(new WorkerMetrics(registry), Clock.systemUTC()));
      camel.addRoutes(new RouteBuilder() {
        @Override
        public void configure() {
          from("direct:job").to("direct:worker-probe").to("direct:worker-started").to("direct:worker-completed");
          from("direct:worker-probe").log("probe");
          from("direct:worker-started").log("started");
          from("direct:worker-completed").log("completed");
        }
      });
      camel.start();
      camel.createProducerTemplate().sendBody("direct:job", "x");
    }

    assertThat(registry.get("mp3.conversion").tag("step", "probe").timer().count()).isEqualTo(1);
    assertThat(registry.get("mp3.conversion").tag("step", "publish").timer().count()).isEqualTo(2);
    assertThat(registry.get("mp3.conversion").tag("step", "download").timer().count()).isZero();
  }

  @Test
  void everyStepRouteIsTimedUnderItsStep() {
    assertThat(JobStepTimer.STEPS).containsKeys("worker-download", "worker-fetch-upload", "worker-probe",
        "worker-convert", "worker-upload", "worker-started", "worker-completed");
  }

  @Test
  void aFirstDeliveryOfAFirstAttemptWaitedSinceItWasRequested() {
    assertThat(JobStepTimer.queueWait(accepted(1), NOW)).contains(Duration.ofMillis(250));
  }

  @Test
  void retriesRedeliveriesRequeuedJobsAndSkewedClocksHaveNoQueueWait() {
    assertThat(JobStepTimer.queueWait(accepted(2), NOW)).isEmpty();

    Exchange redelivered = accepted(1);
    redelivered.getMessage().setHeader("CamelSpringRabbitmqRedelivered", true);
    assertThat(JobStepTimer.queueWait(redelivered, NOW)).isEmpty();

    Exchange requeued = accepted(1);
    requeued.getMessage().setHeader("x-mp3-requeued", "true");
    assertThat(JobStepTimer.queueWait(requeued, NOW)).isEmpty();

    assertThat(JobStepTimer.queueWait(accepted(1), REQUESTED.minusMillis(1))).isEmpty();
    assertThat(JobStepTimer.queueWait(new DefaultExchange(new DefaultCamelContext()), NOW)).isEmpty();
  }
}
