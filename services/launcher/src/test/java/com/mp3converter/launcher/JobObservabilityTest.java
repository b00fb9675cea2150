package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.EmailLinks;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
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

  private LocalS3 s3;
  private ResendStub resend;
  private StaticFileServer files;
  private LocalSystem system;
  private final HttpClient http = HttpClient.newHttpClient();
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
    s3 = LocalS3.start().createBucket("mp3");
    resend = ResendStub.start();
    AudioFixtures.writeSineWav(sources.resolve("tone.wav"), 2.0);
    files = StaticFileServer.serve(sources);

    Map<Service, Map<String, String>> perService = new EnumMap<>(Service.class);
    perService.put(Service.AUTH, Map.of("spring.datasource.url", TestDatabase.create("observability_auth")));
    perService.put(Service.GATEWAY, Map.of("spring.datasource.url", TestDatabase.create("observability_gateway")));
    perService.put(Service.NOTIFIER,
        Map.of("spring.datasource.url", TestDatabase.create("observability_notifier")));
    system = LocalSystem.start(Map.ofEntries(
            Map.entry("spring.rabbitmq.virtual-host", RABBIT.name()),
            Map.entry("MP3_S3_ENDPOINT", s3.endpoint()),
            Map.entry("MP3_S3_ACCESS_KEY", s3.accessKey()),
            Map.entry("MP3_S3_SECRET_KEY", s3.secretKey()),
            Map.entry("MP3_S3_BUCKET", "mp3"),
            Map.entry("MP3_RESEND_BASE_URL", resend.baseUrl()),
            Map.entry("MP3_RESEND_API_KEY", resend.apiKey()),
            Map.entry("MP3_MAIL_FROM", "mp3-converter <noreply@example.com>"),
            Map.entry("MP3_INTERNAL_TOKEN", TestSecrets.token()),
            Map.entry("MP3_ALLOW_PRIVATE_SOURCES", "true"),
            Map.entry("MP3_SOURCE_PORTS", "80,443," + files.port()),
            // Tracing on, every job sampled, without an OTLP endpoint: the spans stay in memory.
            Map.entry("management.tracing.enabled", "true"),
            Map.entry("management.tracing.sampling.probability", "1.0"),
            // The components' own step-by-step lines (publishing, HTTP calls, S3) are written while a job is
            // handled: they must carry its ids too.
            Map.entry("logging.level.com.mp3converter", "DEBUG"),
            Map.entry("logging.level.org.apache.camel.component", "DEBUG")),
        perService, LocalSystem.freePorts(), List.of(new InMemorySpans()));
    // Attached once the services started: starting the logging system resets its appenders.
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    logs.start();
    root.addAppender(logs);

    String token = registerAndLogin("observed@example.com");
    userId = subject(token);
    jobId = accept(token, files.url("tone.wav"));
    assertThat(awaitFinalStatus(token, jobId)).isEqualTo("completed");
    await().atMost(Duration.ofSeconds(30))
        .until(() -> resend.emails().stream().filter(EmailLinks::aboutConversion).count() == 1);
  }

  @AfterAll
  void stopEverything() throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (system != null) {
      system.close();
    }
    files.close();
    resend.close();
    s3.close();
    s3.deleteFolder();
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
      assertThat(system.context(service).getBeansOfType(SpanExporter.class))
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
                  .contains(":" + URI.create(resend.baseUrl()).getPort() + "/emails");
            }));
  }

  private static String subject(String accessToken) throws Exception {
    String payload = accessToken.split("\\.")[1];
    JsonNode claims = Json.MESSAGES.readTree(
        new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    return claims.get("sub").asText();
  }

  private String registerAndLogin(String email) throws Exception {
    String password = "correct horse battery";
    HttpResponse<String> registered = post("/auth/register", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", password, "name", "Observed")));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(202);
    // Conversions need a verified address: the link of the verification email, as a user follows it.
    HttpResponse<String> verified = post("/auth/verify", null,
        Json.MESSAGES.writeValueAsString(Map.of("token", EmailLinks.awaitVerifyToken(resend, email))));
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    HttpResponse<String> login = post("/auth/login", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", password)));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return Json.MESSAGES.readTree(login.body()).get("access_token").asText();
  }

  private String accept(String token, String url) throws Exception {
    HttpResponse<String> response = post("/conversions", token, "{\"url\":\"" + url + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return Json.MESSAGES.readTree(response.body()).get("id").asText();
  }

  private String awaitFinalStatus(String token, String id) {
    JsonNode job = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpResponse<String> status = http.send(authorized(token, "/conversions/" + id).build(),
          HttpResponse.BodyHandlers.ofString());
      return Json.MESSAGES.readTree(status.body());
    }, j -> List.of("completed", "failed").contains(j.path("status").asText()));
    return job.get("status").asText();
  }

  private HttpRequest.Builder authorized(String token, String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.gatewayUrl() + path))
        .timeout(Duration.ofSeconds(30));
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> post(String path, String token, String json) throws Exception {
    return http.send(authorized(token, path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
