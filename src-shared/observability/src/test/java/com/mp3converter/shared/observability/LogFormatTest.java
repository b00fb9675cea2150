package com.mp3converter.shared.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * MP3_LOG_FORMAT=json turns a real Spring Boot application's console into one ECS object a line, with the job's
 * MDC fields at the top level where log stores index them (text, the default, is ObservabilityEnvironmentTest's).
 */
@ExtendWith(OutputCaptureExtension.class)
class LogFormatTest {
  @Configuration(proxyBeanMethods = false)
  static class NoBeans {}

  private static void logAJobLine(String... args) {
    SpringApplication application = new SpringApplication(NoBeans.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    try (ConfigurableApplicationContext context = application.run(args)) {
      MDC.put(JobMdc.JOB_ID, "job-7");
      MDC.put(JobMdc.USER_ID, "user-7");
      MDC.put(JobMdc.ROUTE_ID, "worker-consume");
      LoggerFactory.getLogger("com.mp3converter.test").info("converting");
    } finally {
      MDC.clear();
    }
  }

  @Test
  void jsonIsOneEcsObjectALineWithTheJobsFieldsAtTheTop(CapturedOutput output) throws Exception {
    logAJobLine("--MP3_LOG_FORMAT=json", "--spring.application.name=worker");
    String line = Arrays.stream(output.getOut().split("\\R")).filter(l -> l.contains("\"converting\""))
        .findFirst().orElseThrow();
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("message").asText()).isEqualTo("converting");
    assertThat(json.path("jobId").asText()).isEqualTo("job-7");
    assertThat(json.path("userId").asText()).isEqualTo("user-7");
    assertThat(json.path("routeId").asText()).isEqualTo("worker-consume");
    assertThat(json.path("service").path("name").asText()).isEqualTo("worker");
  }
}
