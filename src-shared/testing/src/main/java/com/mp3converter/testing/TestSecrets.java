package com.mp3converter.testing;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Secrets for tests, drawn fresh like k8s/generate-secrets.sh draws real ones: the services refuse weak or example
 * values at start-up (StartupSecrets), and tests pass the same check instead of bypassing it.
 */
public final class TestSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestSecrets() {}

  /** {@code bytes} random bytes as hex (twice as many characters). */
  public static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /** A token as MP3_INTERNAL_TOKEN needs it (64 characters). */
  public static String token() {
    return hex(32);
  }

  /** Settings as a service's command line ({@code --NAME=value}), for tests that start one with SpringApplication. */
  public static String[] commandLine(Map<String, String> settings) {
    return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
  }
}
