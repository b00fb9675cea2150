package com.mp3converter.worker;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Takes conversion jobs off RabbitMQ: downloads the source (SSRF-guarded, capped), probes and converts it with
 * ffmpeg, stores the result in S3 and publishes how the job ended.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WorkerApplication {
  /** Name of the configuration file (worker.yaml): each service has its own so they can share one classpath. */
  public static final String CONFIG_NAME = "worker";

  public static SpringApplication application() {
    var app = new SpringApplication(WorkerApplication.class);
    app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
    return app;
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
