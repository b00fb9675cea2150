package com.mp3converter.launcher.fault;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.auth.AuthApplication;
import com.mp3converter.gateway.GatewayApplication;
import com.mp3converter.local.ResendApi;
import com.mp3converter.notifier.NotifierApplication;
import com.mp3converter.shared.amqp.AmqpTopology;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.TestSecrets;
import com.mp3converter.testing.EmailLinks;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.worker.WorkerApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The whole system for fault tests: auth and the gateway in this JVM (nothing here kills them), the worker and
 * the notifier in JVMs of their own (so they can be killed), all wired as in production through the settings of
 * design.md, on the real PostgreSQL and RabbitMQ (in a virtual host of their own), an S3 server that can be
 * stopped and started again on the same folder and port, a Resend stub, and a loopback file server for sources.
 * It also speaks the public API and counts what the system did: jobs accepted and finished, emails, objects.
 */
final class FaultSystem implements AutoCloseable {
  static final String BUCKET = "mp3";
  static final String PASSWORD = "correct horse battery staple";
  static final Duration READY = Duration.ofSeconds(120);

  /** A registered user: the address the emails go to, the id their objects are stored under, a token. */
  record User(String email, String id, String token) {}

  private final Path work;
  private final Path logs;
  private final Path sources;
  private final Path s3Folder;
  private final String s3AccessKey = "fault-access";
  private final String s3SecretKey = TestSecrets.hex(24);
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int authPort;
  private final int authManagementPort;
  private final int gatewayPort;
  private final int gatewayManagementPort;
  private final int workerPort;
  private final int workerManagementPort;
  private final int notifierPort;
  private final int notifierManagementPort;

  private volatile LocalS3 s3;
  private int s3Port;
  private ResendStub resend;
  private StaticFileServer files;
  private ConfigurableApplicationContext auth;
  private ConfigurableApplicationContext gateway;
  private volatile ServiceProcess worker;
  private volatile ServiceProcess notifier;
  private int workerStarts;
  private int notifierStarts;
  /** Each service's database: one for all its starts, as in production, until {@link #createDatabases}. */
  private String authDatabase;
  private String gatewayDatabase;
  private String notifierDatabase;

  private FaultSystem(Path work) throws IOException {
    this.work = work;
    this.logs = Path.of("target", "fault-logs").toAbsolutePath();
    this.sources = Files.createDirectories(work.resolve("sources"));
    this.s3Folder = Files.createDirectories(work.resolve("s3"));
    this.authPort = freePort();
    this.authManagementPort = freePort();
    this.gatewayPort = freePort();
    this.gatewayManagementPort = freePort();
    this.workerPort = freePort();
    this.workerManagementPort = freePort();
    this.notifierPort = freePort();
    this.notifierManagementPort = freePort();
  }

  static FaultSystem start(Path work) throws Exception {
    FaultSystem system = new FaultSystem(work);
    try {
      system.startAll();
    } catch (Exception | AssertionError e) {
      system.close();
      throw e;
    }
    return system;
  }

  private void startAll() throws Exception {
    Infrastructure.ensureRabbitUp();
    Infrastructure.ensurePostgresUp();
    Infrastructure.resetVhost();
    deleteTree(logs);
    s3 = LocalS3.start(s3Folder, 0, s3AccessKey, s3SecretKey).createBucket(BUCKET);
    s3Port = s3.port();
    resend = ResendStub.start();
    files = StaticFileServer.serve(sources);

    settings.put("spring.rabbitmq.virtual-host", Infrastructure.VHOST);
    settings.put("MP3_AUTH_URL", "http://127.0.0.1:" + authPort);
    settings.put("MP3_GATEWAY_INTERNAL_URL", "http://127.0.0.1:" + gatewayPort);
    settings.put("MP3_PUBLIC_URL", "http://127.0.0.1:" + gatewayPort);
    settings.put("MP3_S3_ENDPOINT", s3.endpoint());
    settings.put("MP3_S3_ACCESS_KEY", s3AccessKey);
    settings.put("MP3_S3_SECRET_KEY", s3SecretKey);
    settings.put("MP3_S3_BUCKET", BUCKET);
    settings.put("MP3_RESEND_BASE_URL", resend.baseUrl());
    settings.put("MP3_RESEND_API_KEY", resend.apiKey());
    settings.put("MP3_MAIL_FROM", "mp3-converter <noreply@example.com>");
    settings.put("MP3_INTERNAL_TOKEN", TestSecrets.token());
    settings.put("MP3_ALLOW_PRIVATE_SOURCES", "true");
    settings.put("MP3_SOURCE_PORTS", "80,443," + files.port());
    // The burst scenario submits 50 jobs as one user; the per-user limits are not what is tested here.
    settings.put("MP3_RATE_LIMIT_PER_MINUTE", "100000");
    settings.put("MP3_MAX_ACTIVE_JOBS", "100000");
    // The stub takes what it is given; the real Resend's limit is not what is tested here either.
    settings.put("MP3_RESEND_MAX_PER_SECOND", "20");
    settings.put("management.metrics.use-global-registry", "false");
    // The readiness answers name what is down (scenarios 10 and 11 read them).
    settings.put("management.endpoint.health.show-components", "always");

    createDatabases();
    startServices(true);
  }

  /** New, empty databases for auth, the gateway and the notifier, used from their next start on. */
  void createDatabases() {
    authDatabase = TestDatabase.create("fault_auth");
    gatewayDatabase = TestDatabase.create("fault_gateway");
    notifierDatabase = TestDatabase.create("fault_notifier");
  }

  /**
   * Starts the four services: the worker and the notifier first, in JVMs of their own, in parallel with auth and
   * the gateway in this JVM. With {@code awaitReady}, returns once all four are ready; without, once they run
   * (their dependencies may be down on purpose).
   */
  void startServices(boolean awaitReady) throws Exception {
    worker = null;
    notifier = null;
    Thread children = new Thread(() -> {
      try {
        worker = startWorker(awaitReady);
        notifier = startNotifier(awaitReady);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "fault-children");
    children.start();

    Map<String, String> authSettings = new LinkedHashMap<>(settings);
    authSettings.put("spring.datasource.url", authDatabase);
    authSettings.put("server.port", Integer.toString(authPort));
    authSettings.put("management.server.port", Integer.toString(authManagementPort));
    auth = AuthApplication.application().run(arguments(authSettings));
    Map<String, String> gatewaySettings = new LinkedHashMap<>(settings);
    gatewaySettings.put("spring.datasource.url", gatewayDatabase);
    gatewaySettings.put("server.port", Integer.toString(gatewayPort));
    gatewaySettings.put("management.server.port", Integer.toString(gatewayManagementPort));
    gateway = GatewayApplication.application().run(arguments(gatewaySettings));

    children.join(READY.toMillis() * 2);
    if (worker == null || notifier == null) {
      throw new AssertionError("the worker or the notifier did not start; see " + logs);
    }
  }

  /** Stops all four: the JVMs get SIGTERM and a minute to finish what they hold (then SIGKILL). */
  void stopServices() throws Exception {
    for (ServiceProcess child : List.of(worker, notifier)) {
      if (child.isAlive() && child.terminate(Duration.ofSeconds(60)).isEmpty()) {
        child.kill();
      }
    }
    gateway.close();
    auth.close();
  }

  /** The status code each service's health group answers (0: nothing answers), by service name. */
  Map<String, Integer> probes(String group) {
    Map<String, Integer> codes = new LinkedHashMap<>();
    codes.put("auth", ServiceProcess.probe(authManagementPort, group));
    codes.put("gateway", ServiceProcess.probe(gatewayManagementPort, group));
    codes.put("worker", ServiceProcess.probe(worker.managementPort(), group));
    codes.put("notifier", ServiceProcess.probe(notifier.managementPort(), group));
    return codes;
  }

  /**
   * Each service's own readiness state ({@code readinessState} in its readiness group: UP once it has started,
   * whatever its dependencies say), by service name; "?" while it does not answer.
   */
  Map<String, String> readinessStates() {
    Map<String, String> states = new LinkedHashMap<>();
    Map.of("auth", authManagementPort, "gateway", gatewayManagementPort, "worker", worker.managementPort(),
        "notifier", notifier.managementPort()).forEach((service, port) -> states.put(service,
        ServiceProcess.health(port, "readiness").map(response -> {
          try {
            return Json.MESSAGES.readTree(response.body()).path("components").path("readinessState")
                .path("status").asText("?");
          } catch (IOException e) {
            return "?";
          }
        }).orElse("?")));
    return states;
  }

  /** Whether auth and the gateway (in this JVM) and both service JVMs are still running. */
  boolean allRunning() {
    return auth.isActive() && gateway.isActive() && worker.isAlive() && notifier.isAlive();
  }

  // --- the services that can be killed -----------------------------------------------------------------

  ServiceProcess worker() {
    return worker;
  }

  ServiceProcess notifier() {
    return notifier;
  }

  /**
   * Every worker runs on the same work dir, as a restarted container finds its pod's volume: what a killed worker
   * left there is the next one's to clean up.
   */
  ServiceProcess startWorker() throws IOException, InterruptedException {
    return startWorker(true);
  }

  private ServiceProcess startWorker(boolean awaitReady) throws IOException, InterruptedException {
    Map<String, String> workerSettings = new LinkedHashMap<>(settings);
    workerSettings.put("MP3_WORK_DIR", workerWorkDir().toString());
    workerSettings.put("MP3_WORKER_CONCURRENCY", "2");
    worker = ServiceProcess.launch("worker-" + workerStarts++, WorkerApplication.class, workerSettings, workerPort,
        workerManagementPort, logs);
    if (awaitReady) {
      worker.awaitReady(READY);
    }
    return worker;
  }

  Path workerWorkDir() {
    return work.resolve("worker");
  }

  /** The job folders in the worker's work dir (its lock file aside). */
  List<Path> workerLeftovers() throws IOException {
    List<Path> left = new ArrayList<>();
    Path dir = workerWorkDir();
    if (!Files.isDirectory(dir)) {
      return left;
    }
    try (var entries = Files.list(dir)) {
      entries.filter(p -> p.getFileName().toString().startsWith("job-")).forEach(left::add);
    }
    return left;
  }

  ServiceProcess startNotifier() throws IOException, InterruptedException {
    return startNotifier(true);
  }

  private ServiceProcess startNotifier(boolean awaitReady) throws IOException, InterruptedException {
    Map<String, String> notifierSettings = new LinkedHashMap<>(settings);
    notifierSettings.put("spring.datasource.url", notifierDatabase);
    notifier = ServiceProcess.launch("notifier-" + notifierStarts++, NotifierApplication.class, notifierSettings,
        notifierPort, notifierManagementPort, logs);
    if (awaitReady) {
      notifier.awaitReady(READY);
    }
    return notifier;
  }

  // --- the object store ----------------------------------------------------------------------------------

  void stopS3() throws Exception {
    s3.close();
  }

  /** The same folder and port: to its clients the store was away and is back, objects and all. */
  void startS3() throws Exception {
    s3 = LocalS3.start(s3Folder, s3Port, s3AccessKey, s3SecretKey);
  }

  // --- what the tests read and drive ----------------------------------------------------------------------

  ResendStub resend() {
    return resend;
  }

  StaticFileServer files() {
    return files;
  }

  Path sources() {
    return sources;
  }

  Path logs() {
    return logs;
  }

  /** How often the source server was asked for {@code name}: one download per conversion attempt. */
  long downloads(String name) {
    return files.requests().stream().filter(r -> r.path().equals("/" + name)).count();
  }

  User register(String email) throws IOException, InterruptedException {
    HttpResponse<String> registered = post("/auth/register", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", PASSWORD, "name", "Fault Test")));
    if (registered.statusCode() != 202) {
      throw new AssertionError("register " + email + ": " + registered.statusCode() + " " + registered.body());
    }
    // Conversions need a verified address: the link of the verification email the notifier sent.
    HttpResponse<String> verified = post("/auth/verify", null,
        Json.MESSAGES.writeValueAsString(Map.of("token", EmailLinks.awaitVerifyToken(resend, email))));
    if (verified.statusCode() != 200) {
      throw new AssertionError("verify " + email + ": " + verified.statusCode() + " " + verified.body());
    }
    HttpResponse<String> login = login(email);
    if (login.statusCode() != 200) {
      throw new AssertionError("login " + email + ": " + login.statusCode() + " " + login.body());
    }
    String token = Json.MESSAGES.readTree(login.body()).get("access_token").asText();
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    return new User(email, Json.MESSAGES.readTree(payload).get("sub").asText(), token);
  }

  HttpResponse<String> login(String email) throws IOException, InterruptedException {
    return post("/auth/login", null, Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", PASSWORD)));
  }

  /** POST /conversions: the response, whatever it is (202, or 503 while the broker is away). */
  HttpResponse<String> submit(User user, String url) throws IOException, InterruptedException {
    return post("/conversions", user.token(), "{\"url\":\"" + url + "\"}");
  }

  /** POST /conversions that must be accepted; answers the job id. */
  String accept(User user, String url) throws IOException, InterruptedException {
    HttpResponse<String> response = submit(user, url);
    if (response.statusCode() != 202) {
      throw new AssertionError("expected 202 for " + url + ": " + response.statusCode() + " " + response.body());
    }
    return Json.MESSAGES.readTree(response.body()).get("id").asText();
  }

  HttpResponse<String> status(User user, String id) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(gatewayUrl() + "/conversions/" + id))
        .header("Authorization", "Bearer " + user.token()).GET());
  }

  /** Waits until every job is completed or failed; answers each job's final view. */
  Map<String, JsonNode> awaitFinal(User user, List<String> ids, Duration timeout) throws Exception {
    Map<String, JsonNode> finished = new LinkedHashMap<>();
    await().alias("all " + ids.size() + " jobs finish").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
      for (String id : ids) {
        if (finished.containsKey(id)) {
          continue;
        }
        HttpResponse<String> response = status(user, id);
        if (response.statusCode() == 200) {
          JsonNode view = Json.MESSAGES.readTree(response.body());
          if (Set.of("completed", "failed").contains(view.get("status").asText())) {
            finished.put(id, view);
          }
        }
      }
      return finished.size() == ids.size();
    });
    return finished;
  }

  /** Emails Resend accepted for this job (the Idempotency-Key names the job). */
  List<ResendApi.Email> emailsFor(String jobId) {
    return resend.emails().stream()
        .filter(e -> e.idempotencyKey() != null && e.idempotencyKey().contains(jobId))
        .toList();
  }

  List<ResendApi.Email> emailsTo(User user) {
    return resend.emails().stream().filter(e -> e.to().contains(user.email())).filter(EmailLinks::aboutConversion)
        .toList();
  }

  /** The user's objects in the bucket. */
  Set<String> objects(User user) {
    try (S3Client client = s3.client()) {
      return client.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("users/" + user.id() + "/")).contents()
          .stream().map(S3Object::key).collect(Collectors.toSet());
    }
  }

  static String objectKey(User user, String jobId) {
    return ObjectKeys.output(user.id(), jobId, OutputFormat.MP3);
  }

  /**
   * Waits until nothing is queued or in flight in the system's virtual host: every job, event and email of the
   * scenario has been handled and acknowledged (or parked in a dead-letter queue).
   */
  void awaitSettled(Duration timeout) throws Exception {
    // The consumer queues only: dead-letter queues keep what they park, and a test's taps keep what they saw.
    await().alias("the system settles").atMost(timeout).pollInterval(Duration.ofMillis(500))
        .until(Infrastructure::queueDepths, depths -> AmqpTopology.QUEUES.keySet().stream()
            .noneMatch(queue -> depths.getOrDefault(queue, 0L) > 0));
  }

  String gatewayUrl() {
    return "http://127.0.0.1:" + gatewayPort;
  }

  private HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    for (ServiceProcess child : new ServiceProcess[] {worker, notifier}) {
      if (child != null) {
        child.close();
      }
    }
    if (gateway != null) {
      gateway.close();
    }
    if (auth != null) {
      auth.close();
    }
    if (files != null) {
      files.close();
    }
    if (resend != null) {
      resend.close();
    }
    if (s3 != null) {
      s3.close();
    }
    Infrastructure.deleteVhost();
  }

  private static String[] arguments(Map<String, String> properties) {
    return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
