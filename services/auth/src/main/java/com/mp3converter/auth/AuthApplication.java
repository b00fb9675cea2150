package com.mp3converter.auth;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Users, passwords and access tokens: registers users, checks their passwords, signs JWTs, serves the JWKS. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthApplication {
  /** Name of the configuration file (auth.yaml): each service has its own so they can share one classpath. */
  public static final String CONFIG_NAME = "auth";

  public static SpringApplication application() {
    var app = new SpringApplication(AuthApplication.class);
    app.setDefaultProperties(Map.of("spring.config.name", CONFIG_NAME));
    return app;
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
