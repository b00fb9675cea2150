package com.mp3converter.gateway;

import com.mp3converter.gateway.conversions.Conversions;
import com.mp3converter.gateway.conversions.JobRecovery;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans of the gateway's own recovery routes. */
@Configuration(proxyBeanMethods = false)
public class ReliabilityConfiguration {

  @Bean
  JobRecovery jobRecovery(RecoveryProperties properties, Conversions conversions, Clock clock) {
    return new JobRecovery(properties, conversions, clock);
  }
}
