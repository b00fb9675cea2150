package com.mp3converter.notifier;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Tells users how their conversion ended: consumes {@code conversion.completed} and {@code conversion.failed},
 * claims the job's one email in its own database ({@link SentEmails}), asks the gateway for a signed download
 * link (completed jobs only), and emails the user through Resend's HTTP API.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NotifierApplication {
  /** Name of the configuration file (notifier.yaml): each service has its own so they can share one classpath. */
  public static final String CONFIG_NAME = "notifier";

  public static SpringApplication application() {
    var app = new SpringApplication(NotifierApplication.class);
    app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
    return app;
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
