package com.mp3converter.launcher.jobcontrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.launcher.LocalSystem;
import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.local.ResendApi;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The four real services (real PostgreSQL, RabbitMQ, ffmpeg, an S3 server and a Resend stub) for the job-control
 * tests, and the calls those tests make over HTTP as a user would.
 */
final class JobControlSystem implements AutoCloseable {
  final LocalS3 s3;
  final ResendStub resend;
  final StaticFileServer files;
  final LocalSystem system;
  private final HttpClient http = HttpClient.newHttpClient();

  private JobControlSystem(LocalS3 s3, ResendStub resend, StaticFileServer files, LocalSystem system) {
    this.s3 = s3;
    this.resend = resend;
    this.files = files;
    this.system = system;
  }

  /** @param extra settings on top of the defaults (for every service) */
  static JobControlSystem start(RabbitVirtualHost rabbit, String name, Path sources, Map<String, String> extra)
      throws Exception {
    LocalS3 s3 = LocalS3.start().createBucket("mp3");
    ResendStub resend = ResendStub.start();
    StaticFileServer files = StaticFileServer.serve(sources);
    Map<Service, Map<String, String>> perService = new EnumMap<>(Service.class);
    perService.put(Service.AUTH, Map.of("spring.datasource.url", TestDatabase.create(name + "_auth")));
    perService.put(Service.GATEWAY, Map.of("spring.datasource.url", TestDatabase.create(name + "_gateway")));
    perService.put(Service.NOTIFIER, Map.of("spring.datasource.url", TestDatabase.create(name + "_notifier")));
    Map<String, String> settings = new HashMap<>(Map.ofEntries(
        Map.entry("spring.rabbitmq.virtual-host", rabbit.name()),
        Map.entry("MP3_S3_ENDPOINT", s3.endpoint()),
        Map.entry("MP3_S3_ACCESS_KEY", s3.accessKey()),
        Map.entry("MP3_S3_SECRET_KEY", s3.secretKey()),
        Map.entry("MP3_S3_BUCKET", "mp3"),
        Map.entry("MP3_RESEND_BASE_URL", resend.baseUrl()),
        Map.entry("MP3_RESEND_API_KEY", resend.apiKey()),
        Map.entry("MP3_MAIL_FROM", "mp3-converter <noreply@example.com>"),
        Map.entry("MP3_INTERNAL_TOKEN", TestSecrets.token()),
        Map.entry("MP3_ALLOW_PRIVATE_SOURCES", "true"),
        Map.entry("MP3_SOURCE_PORTS", "80,443," + files.port())));
    settings.putAll(extra);
    LocalSystem system = LocalSystem.start(settings, perService, LocalSystem.freePorts());
    return new JobControlSystem(s3, resend, files, system);
  }

  @Override
  public void close() throws Exception {
    system.close();
    files.close();
    resend.close();
    s3.close();
    s3.deleteFolder();
  }

  String registerAndLogin(String email) throws Exception {
    String password = "correct horse battery";
    HttpResponse<String> registered = send("POST", "/auth/register", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", password, "name", "Tester")));
    assertThat(registered.statusCode()).as(registered.body()).isIn(201, 202);
    HttpResponse<String> login = send("POST", "/auth/login", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", password)));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return Json.MESSAGES.readTree(login.body()).get("access_token").asText();
  }

  String accept(String token, String url) throws Exception {
    HttpResponse<String> response = send("POST", "/conversions", token, "{\"url\":\"" + url + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return Json.MESSAGES.readTree(response.body()).get("id").asText();
  }

  JsonNode status(String token, String id) throws Exception {
    HttpResponse<String> status = send("GET", "/conversions/" + id, token, null);
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    return Json.MESSAGES.readTree(status.body());
  }

  JsonNode awaitStatus(String token, String id, String... states) {
    List<String> wanted = List.of(states);
    return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> status(token, id), job -> wanted.contains(job.get("status").asText()));
  }

  List<ResendApi.Email> emailsTo(String address) {
    return resend.emails().stream().filter(e -> e.to().contains(address)).toList();
  }

  /** The ffmpeg/ffprobe processes running in one of the job's folders (their arguments name the folder). */
  static List<ProcessHandle> toolsOf(String jobId) {
    String folder = "job-" + jobId + "-";
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return new ArrayList<>(all.filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.contains("ffmpeg") || c.contains("ffprobe")).orElse(false))
          .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(folder)).orElse(false))
          .toList());
    }
  }

  /** Whether the bucket holds an object of the job. */
  boolean hasObjectOf(String jobId) {
    return s3.client().listObjectsV2(request -> request.bucket("mp3")).contents().stream()
        .anyMatch(object -> object.key().contains(jobId));
  }

  HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.gatewayUrl() + path))
        .timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (json != null) {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Opens GET /conversions/{id}/events; the body is read line by line as it comes. */
  HttpResponse<Stream<String>> events(String token, String id) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create(system.gatewayUrl() + "/conversions/" + id + "/events")).header("Accept", "text/event-stream");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
  }

  static void assertProblem(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = Json.MESSAGES.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(response.body()).doesNotContain("Exception", "at com.", "SELECT");
  }

  static String randomEmail(String who) {
    return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
