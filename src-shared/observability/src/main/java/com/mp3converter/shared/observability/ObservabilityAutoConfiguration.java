package com.mp3converter.shared.observability;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The job's ids in the logging MDC of every route step (JobMdc): Camel picks up InterceptStrategy beans. */
@AutoConfiguration
@ConditionalOnClass(name = "org.apache.camel.CamelContext")
public class ObservabilityAutoConfiguration {

  @Bean
  JobMdc jobMdc() {
    return new JobMdc();
  }
}
