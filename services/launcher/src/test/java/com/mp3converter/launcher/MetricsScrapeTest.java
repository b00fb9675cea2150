package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.StaticFileServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The metrics as Prometheus sees them: the four real services run one job that converts and one that fails, then
 * each service's {@code /actuator/prometheus} is scraped the way Prometheus scrapes it. The job, byte, queue and
 * email series carry what happened; and every metric name the Kubernetes monitoring component uses (alert rules
 * and dashboard queries under k8s/components/monitoring) is in these scrapes, so no alert watches a series that
 * does not exist. The scraped names of each service are also written to target/metric-names/SERVICE.txt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsScrapeTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final Path MONITORING = Path.of("..", "..", "k8s", "components", "monitoring");
  private static final double SOURCE_SECONDS = 5.0;
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  @TempDir static Path sources;

  private TestSystem test;
  private StaticFileServer files;
  private LocalSystem system;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<Service, List<Sample>> scrapes = new EnumMap<>(Service.class);
  private long mp3Bytes;

  /** One line of the exposition format. */
  record Sample(String name, Map<String, String> labels, double value) {}

  @BeforeAll
  void runAJobThatConvertsAndOneThatFailsThenScrape() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("tone.wav"), SOURCE_SECONDS);
    Files.writeString(sources.resolve("notes.wav"), "these are not audio samples\n".repeat(50));
    test = TestSystem.named("metrics").rabbit(RABBIT).sources(sources)
        // The gauges read the broker and the database at most this often: fresh readings for the test.
        .setting("mp3.metrics.reading-max-age", "100ms")
        .start();
    files = test.files();
    system = test.system();

    ApiClient api = test.api();
    String token = api.registerVerifyAndLogin("metrics@example.com");
    String converted = api.accept(token, files.url("tone.wav"));
    String failed = api.accept(token, files.url("notes.wav"));
    assertThat(api.awaitFinished(token, converted).get("status").asText()).isEqualTo("completed");
    assertThat(api.awaitFinished(token, failed).get("status").asText()).isEqualTo("failed");
    HttpResponse<byte[]> mp3 = http.send(api.request("/conversions/" + converted + "/mp3", token).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(mp3.statusCode()).isEqualTo(200);
    mp3Bytes = mp3.body().length;
    await().atMost(Duration.ofSeconds(30)).until(() -> api.conversionEmailsTo("metrics@example.com").size() == 2);

    // The notifier counts an email once Resend answered; the gateway's queue gauges once the broker says so.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      scrapeAll();
      assertThat(value(Service.NOTIFIER, "mp3_emails_sent_total", Map.of("kind", "failed"))).isEqualTo(1);
      assertThat(value(Service.GATEWAY, "mp3_queue_consumers", Map.of("queue", "worker.conversions")))
          .isGreaterThanOrEqualTo(1);
    });
    writeNames();
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void theGatewayCountsJobsByOutcomeAndReasonAndTheBytesItServed() {
    assertThat(value(Service.GATEWAY, "mp3_jobs_accepted_total", Map.of())).isEqualTo(2);
    assertThat(value(Service.GATEWAY, "mp3_jobs_completed_total", Map.of())).isEqualTo(1);
    assertThat(value(Service.GATEWAY, "mp3_jobs_failed_total", Map.of("reason", "not_audio"))).isEqualTo(1);
    assertThat(value(Service.GATEWAY, "mp3_jobs_failed_total", Map.of("reason", "timeout"))).isZero();
    assertThat(value(Service.GATEWAY, "mp3_downloads_served_bytes_total", Map.of())).isEqualTo(mp3Bytes);
    assertThat(value(Service.GATEWAY, "mp3_jobs_stuck_processing", Map.of())).isZero();
  }

  @Test
  void theGatewayReadsEveryQueueOfTheBroker() {
    for (String queue : List.of("worker.conversions", "notifier.events", "gateway.status")) {
      assertThat(value(Service.GATEWAY, "mp3_queue_messages", Map.of("queue", queue))).as(queue).isZero();
      assertThat(value(Service.GATEWAY, "mp3_queue_dead_letters", Map.of("queue", queue))).as(queue).isZero();
      assertThat(value(Service.GATEWAY, "mp3_queue_consumers", Map.of("queue", queue))).as(queue)
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void theWorkerMeasuresTheConversionAndTheBytesInAndOut() throws IOException {
    for (String step : List.of("job", "encode")) {
      assertThat(value(Service.WORKER, "mp3_conversion_seconds_count", Map.of("step", step))).as(step).isEqualTo(1);
      assertThat(value(Service.WORKER, "mp3_conversion_per_audio_second_seconds_count", Map.of("step", step))).as(step)
          .isEqualTo(1);
      assertThat(value(Service.WORKER, "mp3_conversion_seconds_bucket", Map.of("step", step, "le", "+Inf")))
          .as(step).isEqualTo(1);
    }
    // The whole job takes longer than its encode, and both far less than the audio lasts.
    double job = value(Service.WORKER, "mp3_conversion_seconds_sum", Map.of("step", "job"));
    double encode = value(Service.WORKER, "mp3_conversion_seconds_sum", Map.of("step", "encode"));
    assertThat(encode).isPositive().isLessThan(job);
    assertThat(value(Service.WORKER, "mp3_conversion_per_audio_second_seconds_sum", Map.of("step", "job")))
        .isCloseTo(job / SOURCE_SECONDS, org.assertj.core.data.Offset.offset(0.05));
    long sourceBytes = Files.size(sources.resolve("tone.wav")) + Files.size(sources.resolve("notes.wav"));
    assertThat(value(Service.WORKER, "mp3_source_downloaded_bytes_total", Map.of())).isEqualTo(sourceBytes);
    assertThat(value(Service.WORKER, "mp3_storage_uploaded_bytes_total", Map.of())).isEqualTo(mp3Bytes);
  }

  @Test
  void theNotifierCountsEmailsByKind() {
    assertThat(value(Service.NOTIFIER, "mp3_emails_sent_total", Map.of("kind", "completed"))).isEqualTo(1);
    assertThat(value(Service.NOTIFIER, "mp3_emails_sent_total", Map.of("kind", "failed"))).isEqualTo(1);
    assertThat(value(Service.NOTIFIER, "mp3_emails_failed_total", Map.of("kind", "completed"))).isZero();
  }

  @Test
  void everyServiceHasItsCamelRouteMetricsTaggedWithItsName() {
    for (Service service : Service.values()) {
      String application = service.name().toLowerCase(java.util.Locale.ROOT);
      assertThat(scrapes.get(service)).as(application)
          .anySatisfy(s -> {
            assertThat(s.name()).startsWith("camel_exchanges_");
            assertThat(s.labels()).containsEntry("application", application).containsKey("routeId");
          });
      // Off (mp3-observability.yaml): a timer per endpoint, looked up on every send, that nothing reads.
      assertThat(scrapes.get(service)).as(application)
          .noneSatisfy(s -> assertThat(s.name()).startsWith("camel_exchange_event_notifier"));
    }
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardUseIsInARealScrape() throws IOException {
    Set<String> scraped = scrapes.values().stream().flatMap(List::stream).map(Sample::name)
        .collect(Collectors.toSet());
    Map<String, Set<String>> used = new TreeMap<>();
    for (String expression : monitoringExpressions()) {
      for (String name : PromQl.metricNames(expression)) {
        used.computeIfAbsent(name, n -> new TreeSet<>()).add(expression.strip());
      }
    }
    assertThat(used).as("metric names in k8s/components/monitoring")
        .containsKeys("mp3_queue_dead_letters", "mp3_queue_consumers", "mp3_jobs_failed_total",
            "mp3_jobs_stuck_processing", "mp3_conversion_seconds_bucket");
    Map<String, Set<String>> missing = new TreeMap<>(used);
    missing.keySet().removeAll(scraped);
    assertThat(missing).as("metric names used by alerts or dashboard that no service exposes").isEmpty();
  }

  /** Every {@code expr} of the PrometheusRule objects and of the dashboard's queries. */
  static List<String> monitoringExpressions() throws IOException {
    List<String> expressions = new ArrayList<>();
    try (Stream<Path> files = Files.list(MONITORING)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
          collect(Json.MESSAGES.readValue(file.toFile(), Object.class), expressions);
        } else if (name.endsWith(".yaml") && !name.equals("kustomization.yaml")) {
          for (Object document : new Yaml().loadAll(Files.readString(file))) {
            collect(document, expressions);
          }
        }
      }
    }
    return expressions;
  }

  private static void collect(Object node, List<String> expressions) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> {
        if ("expr".equals(key) && value instanceof String expression) {
          expressions.add(expression);
        } else {
          collect(value, expressions);
        }
      });
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collect(item, expressions));
    }
  }

  private void scrapeAll() throws Exception {
    for (Service service : Service.values()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create(system.managementUrl(service) + "/actuator/prometheus"))
          .header("Accept", "text/plain;version=0.0.4").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(service.name()).isEqualTo(200);
      scrapes.put(service, parse(response.body()));
    }
  }

  static List<Sample> parse(String exposition) {
    List<Sample> samples = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.strip());
      if (!m.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher label = LABEL.matcher(m.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return samples;
  }

  /** The one sample of {@code name} whose labels include {@code labels}. */
  private double value(Service service, String name, Map<String, String> labels) {
    List<Sample> matching = scrapes.get(service).stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    assertThat(matching).as(service + " " + name + labels).hasSize(1);
    return matching.get(0).value();
  }

  private void writeNames() throws IOException {
    Path folder = Path.of("target", "metric-names");
    Files.createDirectories(folder);
    for (Map.Entry<Service, List<Sample>> scrape : scrapes.entrySet()) {
      Files.write(folder.resolve(scrape.getKey().name().toLowerCase(java.util.Locale.ROOT) + ".txt"),
          scrape.getValue().stream().map(Sample::name).distinct().sorted().toList());
    }
  }
}
