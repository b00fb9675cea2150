package com.mp3converter.gateway;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The public API: auth forwarding, access-token checks, job intake and status, download links and downloads. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {
  public static final String CONFIG_NAME = "gateway";

  public static SpringApplication application() {
    var app = new SpringApplication(GatewayApplication.class);
    app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
    return app;
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
