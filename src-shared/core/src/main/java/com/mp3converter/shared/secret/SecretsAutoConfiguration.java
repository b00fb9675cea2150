package com.mp3converter.shared.secret;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Every service checks its secrets before anything else starts ({@link StartupSecrets}). */
@AutoConfiguration
public class SecretsAutoConfiguration {

  /** Static: a bean factory post-processor runs before the configuration's own instance could exist. */
  @Bean
  static StartupSecrets startupSecrets() {
    return new StartupSecrets(SecretStrength.withCommittedExamples());
  }
}
