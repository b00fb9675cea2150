package com.mp3converter.shared.management;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Gives every service the management settings they share ({@value #DEFAULTS_FILE}: the exposed endpoints, Jolokia's
 * answers, Hawtio's authentication, the console users and their environment names), behind every other source, so
 * a service's own file, the environment and the command line still override them. Run per application, so each
 * service of the one-JVM local run gets its own.
 */
public final class ManagementEnvironment implements EnvironmentPostProcessor {
  public static final String DEFAULTS = "mp3ManagementDefaults";
  public static final String DEFAULTS_FILE = "mp3-management.yaml";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    var sources = environment.getPropertySources();
    if (sources.contains(DEFAULTS)) {
      return;
    }
    try {
      new YamlPropertySourceLoader()
          .load(DEFAULTS, new ClassPathResource(DEFAULTS_FILE, ManagementEnvironment.class.getClassLoader()))
          .forEach(sources::addLast);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULTS_FILE, e);
    }
  }
}
