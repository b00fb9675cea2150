package com.mp3converter.notifier;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.AccountDeleted;
import com.mp3converter.shared.messages.AccountEmail;
import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionFailed;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans the routes refer to by name (the AMQP ones, topology and ack helper, are src-shared's). */
@Configuration(proxyBeanMethods = false)
public class NotifierConfiguration {

  @Bean
  EmailComposer emailComposer(NotifierProperties properties) {
    return new EmailComposer(properties.mailFrom());
  }

  @Bean
  AccountEmailComposer accountEmailComposer(NotifierProperties properties) {
    return new AccountEmailComposer(properties.mailFrom());
  }

  @Bean
  AccountEmails accountEmails(ProducerTemplate producer) {
    return new AccountEmails(producer);
  }

  @Bean
  JacksonDataFormat accountEmailJson() {
    return new JacksonDataFormat(Json.MESSAGES.copy(), AccountEmail.class);
  }

  @Bean
  JacksonDataFormat accountDeletedJson() {
    return new JacksonDataFormat(Json.MESSAGES.copy(), AccountDeleted.class);
  }

  @Bean
  ResendResponses resendResponses(NotifierProperties properties) {
    return new ResendResponses(properties.maxRetryAfter());
  }

  @Bean
  SentEmails sentEmails(ProducerTemplate producer, NotifierMetrics metrics) {
    return new SentEmails(producer, metrics);
  }

  @Bean
  EmailChecks emailChecks() {
    return new EmailChecks();
  }

  @Bean
  NotifierMetrics notifierMetrics(MeterRegistry registry) {
    return new NotifierMetrics(registry);
  }

  // JSON in and out with the system's lenient message mapper (a copy: data formats may configure theirs, and
  // the shared instance serves every service in the same JVM).

  @Bean
  JacksonDataFormat completedEventJson() {
    return new JacksonDataFormat(Json.MESSAGES.copy(), ConversionCompleted.class);
  }

  @Bean
  JacksonDataFormat failedEventJson() {
    return new JacksonDataFormat(Json.MESSAGES.copy(), ConversionFailed.class);
  }

  @Bean
  JacksonDataFormat downloadLinkJson() {
    return new JacksonDataFormat(Json.MESSAGES.copy(), DownloadLink.class);
  }

  @Bean
  JacksonDataFormat resendEmailJson() {
    return new JacksonDataFormat(Json.MESSAGES.copy(), ResendEmail.class);
  }
}
