package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.RabbitVirtualHost;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One job through the four real services (each its own Spring and Camel context in one JVM, as the launcher runs
 * them), followed the way an operator follows it: by its log lines, which carry the job's and the user's ids and
 * the route in every service the job passes, and by its trace, one trace id from the gateway through RabbitMQ to
 * the worker and on to the notifier's call to Resend. The services record their spans in memory (InMemorySpans,
 * given to each service's context by LocalSystem); nothing is exported off the machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobObservabilityTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  private static final List<Service> JOB_PATH = List.of(Service.GATEWAY, Service.WORKER, Service.NOTIFIER);

  @TempDir static Path sources;

  private TestSystem system;
  private final LogCapture logs = new LogCapture();
  private String jobId;
  private String userId;

  /** A log event as the appender saw it, with the MDC it was written with. */
  record Line(String thread, String logger, String message, Map<String, String> mdc) {}

  /** Every event of every service, in the one logging system the services share in this JVM. */
  static final class LogCapture extends AppenderBase<ILoggingEvent> {
    final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(new Line(event.getThreadName(), event.getLoggerName(), event.getFormattedMessage(),
          Map.copyOf(event.getMDCPropertyMap())));
    }
  }

  @BeforeAll
  void runOneJob() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("tone.wav"), 2.0);
    system = TestSystem.named("observability").rabbit(RABBIT).sources(sources)
        // Tracing on, every job sampled, without an OTLP endpoint: the spans stay in memory.
        .setting("management.tracing.enabled", "true")
        .setting("management.tracing.sampling.probability", "1.0")
        // The components' own step-by-step lines (publishing, HTTP calls, S3) are written while a job is
        // handled: they must carry its ids too.
        .setting("logging.level.com.mp3converter", "DEBUG")
        .setting("logging.level.org.apache.camel.component", "DEBUG")
        .initializer(new InMemorySpans())
        .start();
    // Attached once the services started: starting the logging system resets its appenders.
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    logs.start();
    root.addAppender(logs);

    ApiClient api = system.api();
    String token = api.registerVerifyAndLogin("observed@example.com");
    userId = ApiClient.subject(token);
    jobId = api.accept(token, system.files().url("tone.wav"));
    assertThat(api.awaitFinished(token, jobId).get("status").asText()).isEqualTo("completed");
    await().atMost(Duration.ofSeconds(30)).until(() -> api.conversionEmailsTo("observed@example.com").size() == 1);
  }

  @AfterAll
  void stopEverything() throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (system != null) {
      system.close();
    }
  }

  @Test
  void everyServiceTheJobPassesLogsItsLinesWithTheJobTheUserAndTheRoute() {
    for (Service service : JOB_PATH) {
      String prefix = service.name().toLowerCase(Locale.ROOT) + "-";
      assertThat(logs.lines).as(service + " lines about job " + jobId)
          .anySatisfy(line -> {
            assertThat(line.mdc()).containsEntry("jobId", jobId).containsEntry("userId", userId);
            assertThat(line.mdc().get("routeId")).startsWith(prefix);
          });
    }
  }

  @Test
  void everyLineThatNamesTheJobCarriesItsIdsAndNoLineTheEmail() {
    List<Line> aboutTheJob = logs.lines.stream().filter(line -> line.message().contains(jobId)).toList();
    assertThat(aboutTheJob).isNotEmpty().allSatisfy(line -> assertThat(line.mdc()).as(line.toString())
        .containsEntry("jobId", jobId).containsEntry("userId", userId).containsKey("routeId"));
    assertThat(logs.lines).noneSatisfy(line ->
        assertThat(line.mdc().values()).contains("observed@example.com"));
  }

  @Test
  void theJobsIdsStayWithTheJobAndLeaveNoThreadBehind() {
    // Lines of other work (the status polls, the gauges' readings) written on threads that had handled the job
    // before name no job: the ids were taken off again after each step.
    assertThat(logs.lines).filteredOn(line -> line.mdc().containsKey("jobId"))
        .allSatisfy(line -> assertThat(line.mdc()).containsEntry("jobId", jobId).containsKey("routeId"));
    assertThat(logs.lines).filteredOn(line -> line.message().contains("GET /conversions"))
        .allSatisfy(line -> assertThat(line.mdc()).doesNotContainKey("jobId"));
  }

  @Test
  void eachServiceRecordsItsSpansWithItsOwnName() {
    for (Service service : JOB_PATH) {
      String name = service.name().toLowerCase(Locale.ROOT);
      // The exporter is really in that service's context: the spans below come from there.
      assertThat(system.system().context(service).getBeansOfType(SpanExporter.class))
          .as(name).containsEntry(InMemorySpans.BEAN, InMemorySpans.exporter(name));
      // Spans reach the exporters in batches, a few seconds after they end.
      List<SpanData> spans = await().atMost(Duration.ofSeconds(30))
          .until(() -> InMemorySpans.finished(name), finished -> !finished.isEmpty());
      assertThat(spans).as(name).allSatisfy(span ->
          assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo(name));
    }
  }

  @Test
  void theJobIsOneTraceFromThePostThroughRabbitMqToTheWorkerAndTheNotifiersResendCall() {
    // The worker consumed one message: the job. Its trace is the job's.
    List<SpanData> consumed = await().atMost(Duration.ofSeconds(30)).until(
        () -> InMemorySpans.finished("worker").stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList(),
        spans -> !spans.isEmpty());
    Set<String> traces = consumed.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    assertThat(traces).as(consumed.toString()).hasSize(1);
    String trace = traces.iterator().next();

    // The gateway's part: the POST's server span and the publish to RabbitMQ, both in the job's trace. Each
    // service hands its spans over in batches, a few seconds after they end: the worker's may be in while the
    // gateway's are still waiting for their batch.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(InMemorySpans.finished("gateway")).filteredOn(s -> s.getTraceId().equals(trace))
            .anySatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.SERVER))
            .anySatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.PRODUCER)));
    // The worker's publishes of the job's events continue it.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(InMemorySpans.finished("worker")).filteredOn(s -> s.getTraceId().equals(trace))
            .anySatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.PRODUCER)));
    // The notifier consumed the completed event in the same trace and called Resend within it.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(InMemorySpans.finished("notifier")).filteredOn(s -> s.getTraceId().equals(trace))
            .anySatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER))
            .anySatisfy(s -> {
              assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
              assertThat(s.getAttributes().get(AttributeKey.stringKey("http.url")))
                  .contains(":" + URI.create(system.resend().baseUrl()).getPort() + "/emails");
            }));
  }
}
