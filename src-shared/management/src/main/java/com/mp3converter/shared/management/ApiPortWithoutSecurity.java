package com.mp3converter.shared.management;

import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;

/**
 * Keeps Spring Boot's servlet security out of a service's main context, where it would guard the API port: with
 * Spring Security on the classpath (for the management port's login, {@link ConsoleSecurityConfiguration}) Boot
 * would otherwise lock the API behind a generated password and pass every API request through Spring Security's
 * firewall, which answers odd URLs with a bare 400 instead of the API's own problem details. The API's
 * authentication is the services' own (access tokens, the internal token).
 */
public final class ApiPortWithoutSecurity implements AutoConfigurationImportFilter {
  static final Set<String> SKIPPED = Set.of(
      "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
      "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
      "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration");

  @Override
  public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
    boolean[] imported = new boolean[autoConfigurationClasses.length];
    for (int i = 0; i < autoConfigurationClasses.length; i++) {
      imported[i] = autoConfigurationClasses[i] == null || !SKIPPED.contains(autoConfigurationClasses[i]);
    }
    return imported;
  }
}
