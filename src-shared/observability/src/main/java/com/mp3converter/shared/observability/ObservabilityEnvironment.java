package com.mp3converter.shared.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Turns the project's three observability settings into Spring Boot's, behind every other source (a service's
 * file, the environment and the command line still override them), per application, so each service of the
 * one-JVM local run gets its own:
 * <ul>
 *   <li>{@value #LOG_FORMAT} {@code text} (the default) or {@code json}: JSON is Spring Boot's structured logging
 *       in the Elastic Common Schema ({@code logging.structured.format.console=ecs}).
 *   <li>{@value #OTLP_ENDPOINT}: where spans are exported (OTLP over HTTP, e.g. {@code
 *       http://collector:4318/v1/traces}). Without it tracing is off: no spans are recorded or sent.
 *   <li>{@value #TRACE_SAMPLING}: the share of jobs traced once an endpoint is set, 1.0 unless given.
 * </ul>
 * Their environment names and defaults are in {@value #DEFAULTS_FILE}, with what every service shares either
 * way: the W3C propagation and Camel's spans.
 */
public final class ObservabilityEnvironment implements EnvironmentPostProcessor {
  public static final String DEFAULTS = "mp3ObservabilityDefaults";
  public static final String SWITCHES = "mp3ObservabilitySwitches";
  public static final String DEFAULTS_FILE = "mp3-observability.yaml";
  public static final String LOG_FORMAT = "MP3_LOG_FORMAT";
  public static final String OTLP_ENDPOINT = "MP3_OTLP_ENDPOINT";
  public static final String TRACE_SAMPLING = "MP3_TRACE_SAMPLING";
  /** The structured format JSON logs use: ECS, which log stores (Elasticsearch, Loki, Cloud Logging) read as is. */
  public static final String JSON_FORMAT = "ecs";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    var sources = environment.getPropertySources();
    if (sources.contains(DEFAULTS)) {
      return;
    }
    try {
      new YamlPropertySourceLoader()
          .load(DEFAULTS, new ClassPathResource(DEFAULTS_FILE, ObservabilityEnvironment.class.getClassLoader()))
          .forEach(sources::addLast);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULTS_FILE, e);
    }
    sources.addLast(new MapPropertySource(SWITCHES, switches(environment)));
  }

  /** Spring Boot's settings for the project's: the log format, and tracing with its export or without. */
  static Map<String, Object> switches(ConfigurableEnvironment environment) {
    Map<String, Object> settings = new LinkedHashMap<>();
    String format = setting(environment, "mp3.observability.log-format").toLowerCase(Locale.ROOT);
    switch (format) {
      case "json" -> settings.put("logging.structured.format.console", JSON_FORMAT);
      case "text" -> { }
      default -> throw new IllegalArgumentException(LOG_FORMAT + " is 'text' or 'json', not '" + format + "'");
    }
    String endpoint = setting(environment, "mp3.observability.otlp-endpoint");
    if (endpoint.isBlank()) {
      settings.put("management.tracing.enabled", "false");
    } else {
      settings.put("management.tracing.enabled", "true");
      settings.put("management.otlp.tracing.endpoint", endpoint);
      settings.put("management.tracing.sampling.probability", setting(environment, "mp3.observability.trace-sampling"));
    }
    return settings;
  }

  /** A setting of {@value #DEFAULTS_FILE}, where each has its environment name and its default. */
  private static String setting(ConfigurableEnvironment environment, String name) {
    return environment.getProperty(name, "").strip();
  }
}
