package com.mp3converter.gateway.metrics;

import com.mp3converter.gateway.conversions.Conversions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's meters ({@link GatewayMetrics}) and the gauges that read the broker and the job table. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

  @Bean
  GatewayMetrics gatewayMetrics(MeterRegistry registry) {
    return new GatewayMetrics(registry);
  }

  @Bean
  QueueReadings queueReadings(AmqpAdmin admin, MetricsProperties properties, Clock clock, MeterRegistry registry) {
    QueueReadings queues = new QueueReadings(admin, properties.readingMaxAge(), clock);
    GatewayMetrics.bindQueues(registry, queues);
    return queues;
  }

  @Bean
  CachedReading<Long> stuckJobs(Conversions conversions, MetricsProperties properties, Clock clock,
      MeterRegistry registry) {
    CachedReading<Long> stuck = new CachedReading<>("the stuck jobs",
        () -> conversions.countProcessingNotUpdatedSince(clock.instant().minus(properties.stuckProcessingAfter())),
        properties.readingMaxAge(), clock);
    GatewayMetrics.bindStuckJobs(registry, stuck);
    return stuck;
  }
}
