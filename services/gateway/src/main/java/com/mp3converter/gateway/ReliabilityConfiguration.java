package com.mp3converter.gateway;

import com.mp3converter.gateway.conversions.Conversions;
import com.mp3converter.gateway.conversions.JobRecovery;
import com.mp3converter.gateway.notifications.NotificationRecords;
import com.mp3converter.shared.json.RequestBodies;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans of the gateway's own recovery routes and of the notifier's record of sent emails. */
@Configuration(proxyBeanMethods = false)
public class ReliabilityConfiguration {

  @Bean
  JobRecovery jobRecovery(RecoveryProperties properties, Conversions conversions, Clock clock) {
    return new JobRecovery(properties, conversions, clock);
  }

  @Bean
  NotificationRecords notificationRecords(RequestBodies bodies, Clock clock) {
    return new NotificationRecords(bodies, clock);
  }
}
