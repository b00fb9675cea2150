package com.mp3converter.gateway;

import com.mp3converter.gateway.conversions.Conversions;
import com.mp3converter.gateway.conversions.JobRecovery;
import com.mp3converter.gateway.conversions.JobRetention;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans of the gateway's own recovery and retention routes. */
@Configuration(proxyBeanMethods = false)
public class ReliabilityConfiguration {

  @Bean
  JobRecovery jobRecovery(RecoveryProperties properties, Conversions conversions, Clock clock) {
    return new JobRecovery(properties, conversions, clock);
  }

  @Bean
  JobRetention jobRetention(RetentionProperties properties, Conversions conversions) {
    return new JobRetention(properties, conversions);
  }
}
