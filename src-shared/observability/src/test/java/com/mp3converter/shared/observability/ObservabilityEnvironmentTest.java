package com.mp3converter.shared.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ObservabilityEnvironmentTest {

  private static StandardEnvironment prepared(Map<String, Object> settings) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("given", settings));
    new ObservabilityEnvironment().postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }

  @Test
  void textLogsAndNoTracingUnlessSaidOtherwise() {
    StandardEnvironment environment = prepared(Map.of());
    assertThat(environment.getProperty("logging.structured.format.console")).isNull();
    assertThat(environment.getProperty("management.tracing.enabled")).isEqualTo("false");
    assertThat(environment.getProperty("management.otlp.tracing.endpoint")).isNull();
    assertThat(environment.getProperty("management.tracing.propagation.type")).isEqualTo("w3c");
  }

  @Test
  void jsonLogsAreEcs() {
    assertThat(prepared(Map.of("MP3_LOG_FORMAT", "json")).getProperty("logging.structured.format.console"))
        .isEqualTo("ecs");
    assertThat(prepared(Map.of("mp3.observability.log-format", "JSON")).getProperty("logging.structured.format.console"))
        .isEqualTo("ecs");
  }

  @Test
  void anUnknownLogFormatIsRefused() {
    assertThatThrownBy(() -> prepared(Map.of("MP3_LOG_FORMAT", "xml")))
        .hasMessageContaining("MP3_LOG_FORMAT");
  }

  @Test
  void anEndpointTurnsTracingOnAndSamplesEveryJobUnlessToldOtherwise() {
    StandardEnvironment environment = prepared(Map.of("MP3_OTLP_ENDPOINT", "http://127.0.0.1:4318/v1/traces"));
    assertThat(environment.getProperty("management.tracing.enabled")).isEqualTo("true");
    assertThat(environment.getProperty("management.otlp.tracing.endpoint")).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");

    assertThat(prepared(Map.of("MP3_OTLP_ENDPOINT", "http://127.0.0.1:4318/v1/traces", "MP3_TRACE_SAMPLING", "0.25"))
        .getProperty("management.tracing.sampling.probability")).isEqualTo("0.25");
  }

  @Test
  void settingsGivenInSpringBootsOwnNamesWin() {
    assertThat(prepared(Map.of("management.tracing.enabled", "true")).getProperty("management.tracing.enabled"))
        .isEqualTo("true");
  }
}
