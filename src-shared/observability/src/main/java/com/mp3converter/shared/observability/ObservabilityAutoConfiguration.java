package com.mp3converter.shared.observability;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.apache.camel.CamelContext;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The job's ids in the logging MDC of every route step (JobMdc: Camel picks up InterceptStrategy beans), and,
 * with tracing on, Camel's spans in Micrometer Tracing.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration"})
@ConditionalOnClass(CamelContext.class)
public class ObservabilityAutoConfiguration {

  @Bean
  JobMdc jobMdc() {
    return new JobMdc();
  }

  /**
   * Camel's observation tracer, made here because camel-observation-starter 4.17 makes it only where Spring Boot's
   * actuator is absent (and every service has the actuator): a span for each route an exchange enters and each
   * endpoint it calls, with the W3C context read from and written to the message headers (HTTP and AMQP).
   * Made only while tracing is on (MP3_OTLP_ENDPOINT, ObservabilityEnvironment), so routes pay nothing otherwise.
   */
  @Bean(initMethod = "", destroyMethod = "")
  @ConditionalOnMissingBean
  @ConditionalOnBean(Tracer.class)
  @ConditionalOnProperty(name = "management.tracing.enabled", havingValue = "true", matchIfMissing = true)
  MicrometerObservationTracer camelObservationTracer(
      CamelContext camel,
      Tracer tracer,
      ObjectProvider<ObservationRegistry> observations,
      @Value("${camel.observation.exclude-patterns:}") String excludePatterns) {
    MicrometerObservationTracer camelTracer = new MicrometerObservationTracer();
    camelTracer.setTracer(tracer);
    observations.ifAvailable(camelTracer::setObservationRegistry);
    if (!excludePatterns.isBlank()) {
      camelTracer.setExcludePatterns(excludePatterns);
    }
    camelTracer.init(camel);
    return camelTracer;
  }
}
