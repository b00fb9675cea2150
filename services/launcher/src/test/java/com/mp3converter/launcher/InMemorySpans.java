package com.mp3converter.launcher;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gives a service's context an in-memory span exporter beside any other, so a test reads the spans the service
 * finished: Spring Boot's tracing hands every SpanExporter bean of the context its spans. Given to LocalSystem,
 * which adds it to each service's SpringApplication; one exporter per {@code spring.application.name}.
 */
public final class InMemorySpans implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  public static final String BEAN = "inMemorySpanExporter";
  private static final Map<String, InMemorySpanExporter> EXPORTERS = new ConcurrentHashMap<>();

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    String service = context.getEnvironment().getRequiredProperty("spring.application.name");
    context.getBeanFactory().registerSingleton(BEAN, exporter(service));
  }

  /** The exporter of that service (created on first use). */
  public static InMemorySpanExporter exporter(String service) {
    return EXPORTERS.computeIfAbsent(service, s -> InMemorySpanExporter.create());
  }

  public static List<SpanData> finished(String service) {
    return exporter(service).getFinishedSpanItems();
  }
}
