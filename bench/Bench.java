// The performance table of docs/performance.md (issue "Speed"), measured in one run: Java 17 single-file program,
// JDK only, started by bench/run.sh. It runs the README's run command (all four services in one JVM) over a data
// folder of its own, measures every row against bare ffmpeg on the same files in the same run, and writes the
// table. Everything it talks to listens on loopback; every phase has a bounded duration.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

public class Bench {
  static final String API = "http://127.0.0.1:8080";
  static final String FILES = "http://127.0.0.1:8090";
  /** The benchmark's own source server, which sends at {@link #PACED_BYTES_PER_SECOND} (as across a network). */
  static final int PACED_FILES_PORT = 8096;
  static final String PACED_FILES = "http://127.0.0.1:" + PACED_FILES_PORT;
  /** 25 MB/s: a download from a well-connected host; the 3-minute WAV takes about 1.3 s, as long as ffmpeg. */
  static final long PACED_BYTES_PER_SECOND = 25_000_000;
  static final String WORKER_MANAGEMENT = "http://127.0.0.1:9092";
  static final String GATEWAY_MANAGEMENT = "http://127.0.0.1:9090";
  static final Duration JOB_DEADLINE = Duration.ofMinutes(5);
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final Pattern JSON_STRING = Pattern.compile("\"%s\"\\s*:\\s*\"([^\"]*)\"");

  static Path root;
  static Path work;
  static Path data;
  static int runs = 3;
  static boolean quick;
  /** Only the job rows (one job, backlog): for trying a change to the worker; writes nothing. */
  static boolean jobsOnly;
  static boolean write = true;
  static boolean startupRow = true;
  static final String ADMIN_PASSWORD = "bench-" + UUID.randomUUID();
  /** The launcher's S3 server takes this key pair, so that the worker started alone (bigInput) shares it. */
  static final String S3_ACCESS_KEY = "bench-" + UUID.randomUUID().toString().substring(0, 8);
  static final String S3_SECRET_KEY = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
  static final String WORKER_ALONE_MANAGEMENT = "http://127.0.0.1:19082";
  static final String VHOST = "mp3-bench";
  static final List<String[]> rows = new ArrayList<>();
  static final List<String> notes = new ArrayList<>();

  public static void main(String[] args) {
    try {
      measure(args);
    } catch (Throwable e) {
      // Printed here: the source launcher mangles the stack trace of an exception that leaves main.
      e.printStackTrace();
      System.exit(1);
    }
  }

  static void measure(String[] args) throws Exception {
    for (String arg : args) {
      switch (arg) {
        case "--quick" -> { quick = true; runs = 1; }
        case "--no-write" -> write = false;
        case "--no-startup" -> startupRow = false;
        case "--jobs-only" -> { jobsOnly = true; startupRow = false; write = false; }
        default -> {
          if (arg.startsWith("--runs=")) {
            runs = Integer.parseInt(arg.substring("--runs=".length()));
          } else {
            throw new IllegalArgumentException("unknown argument " + arg
                + " (use --runs=N, --quick, --no-startup, --no-write, --jobs-only)");
          }
        }
      }
    }
    root = Path.of("").toAbsolutePath();
    work = Files.createDirectories(root.resolve("bench/target"));
    data = work.resolve("data");
    String started = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
    String machine = machine();
    String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.println("# " + started + " " + machine + "; load average before: " + loadBefore);

    Path short3 = fixture("three-minutes.wav", 180);
    Path long30 = quick ? null : fixture("thirty-minutes.wav", 1800);
    // 2 GB of 44.1 kHz stereo PCM: 11,337 s (3 h 9 min).
    Path twoGigabytes = quick || jobsOnly ? null : fixture("two-gigabytes.wav", 11_337);

    if (startupRow) {
      startupAlone();
    }
    Launcher launcher = Launcher.start();
    try {
      if (!jobsOnly) {
        rejectInvalidTokens();
      }
      String token = userToken();
      oneJob(token, short3, "3-minute");
      pacedJob(token, short3);
      if (long30 != null) {
        oneJob(token, long30, "30-minute");
      }
      backlog(token, short3);
      if (!jobsOnly) {
        if (twoGigabytes != null) {
          bigInput(token, twoGigabytes);
        }
        intake();
        logins(launcher);
        row("the launcher (all four services): ready by its own count; run command ready; RSS after the run",
            launcher.readiness(), "< 10 s, run command < 15 s, < 400 MB");
      }
    } finally {
      launcher.stop();
    }
    String table = table(started, machine, loadBefore);
    System.out.println(table);
    Files.writeString(work.resolve("results.md"), table);
    if (write) {
      writeInto(root.resolve("docs/performance.md"), table);
      System.out.println("written into docs/performance.md (and bench/target/results.md)");
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // The rows
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Each service alone as its image starts it (bench/startup.sh: extracted jar, class-data archive): time to
   * readiness and idle RSS, median of the runs; then the same without the archive, for comparison.
   */
  static void startupAlone() throws Exception {
    startupAlone("each service started alone: ready, idle RSS (median of %d)", "bench/startup.sh");
    startupAlone("the same without the class-data archive (median of %d)", "bench/startup.sh", "--no-cds");
  }

  static void startupAlone(String label, String... command) throws Exception {
    Map<String, List<Double>> ready = new TreeMap<>();
    Map<String, List<Double>> rss = new TreeMap<>();
    for (int run = 0; run < runs; run++) {
      List<String> lines = run(Duration.ofMinutes(5), command);
      for (String line : lines) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 3 && parts[1].matches("[0-9.]+")) {
          ready.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Double.parseDouble(parts[1]));
          rss.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Double.parseDouble(parts[2]));
        }
      }
    }
    String figures = ready.keySet().stream()
        .map(s -> "%s %.1f s, %.0f MB".formatted(s, median(ready.get(s)), median(rss.get(s))))
        .collect(Collectors.joining("; "));
    row(label.formatted(runs), figures,
        "each ready < 6 s, idle < 250 MB");
  }

  /** Invalid download tokens right after start: three wrk runs of 20 s, the first one counts. */
  static void rejectInvalidTokens() throws Exception {
    String bogus = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + ".eyJzdWIiOiJ4In0."
        + "A".repeat(43);
    List<Wrk> results = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      results.add(Wrk.run(32, 20, null, API + "/downloads/" + bogus));
    }
    row("rejecting an invalid download token, 32 connections: 1st / 2nd / 3rd 20 s run after start",
        results.stream().map(w -> "%,.0f req/s".formatted(w.rate)).collect(Collectors.joining(" / "))
            + " (p99 " + results.get(0).p99 + ")",
        ">= 10,000 req/s from the first run");
  }

  /** One job from POST to completed against bare ffmpeg with the worker's flags on the same file. */
  static void oneJob(String token, Path file, String label) throws Exception {
    List<Double> system = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    Map<String, double[]> stepsBefore = workerSteps();
    for (int run = 0; run < runs; run++) {
      long start = System.nanoTime();
      String id = submit(token, FILES + "/" + file.getFileName());
      awaitCompleted(token, List.of(id));
      system.add(seconds(start));
      bare.add(bareFfmpeg(List.of(file), 1));
    }
    Map<String, double[]> stepsAfter = workerSteps();
    double ratio = median(system) / median(bare);
    row("one job, %s WAV, POST until completed vs bare ffmpeg (median of %d)".formatted(label, runs),
        "%.2f s vs %.2f s = **%.2fx**; worker steps (mean): %s".formatted(median(system), median(bare), ratio,
            stepDeltas(stepsBefore, stepsAfter)),
        "<= 1.05x");
  }

  /**
   * One job whose source arrives at {@link #PACED_BYTES_PER_SECOND} (the benchmark's own paced server), against
   * the download alone and bare ffmpeg on the same file: what a job costs when fetching its source is waiting, not
   * CPU, and how much of the download the encode hides (MP3_ENCODE_WHILE_DOWNLOADING).
   */
  static void pacedJob(String token, Path file) throws Exception {
    List<Double> system = new ArrayList<>();
    List<Double> download = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    try (PacedFiles server = PacedFiles.serve(file)) {
      for (int run = 0; run < runs; run++) {
        long start = System.nanoTime();
        awaitCompleted(token, List.of(submit(token, PACED_FILES + "/" + file.getFileName())));
        system.add(seconds(start));
        start = System.nanoTime();
        HTTP.send(HttpRequest.newBuilder(URI.create(PACED_FILES + "/" + file.getFileName())).build(),
            HttpResponse.BodyHandlers.discarding());
        download.add(seconds(start));
        bare.add(bareFfmpeg(List.of(file), 1));
      }
    }
    row("one job, 3-minute WAV from a source sending %d MB/s: POST until completed (median of %d)".formatted(
            PACED_BYTES_PER_SECOND / 1_000_000, runs),
        "%.2f s; the download alone %.2f s, bare ffmpeg %.2f s, one after the other %.2f s".formatted(
            median(system), median(download), median(bare), median(download) + median(bare)),
        "(no goal of its own: how much of the download the encode hides)");
  }

  /** Serves one file from loopback at {@link #PACED_BYTES_PER_SECOND}, 64 KiB at a time. */
  record PacedFiles(com.sun.net.httpserver.HttpServer server) implements AutoCloseable {
    static PacedFiles serve(Path file) throws IOException {
      var server = com.sun.net.httpserver.HttpServer.create(
          new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), PACED_FILES_PORT), 16);
      server.createContext("/" + file.getFileName(), exchange -> {
        exchange.sendResponseHeaders(200, Files.size(file));
        try (var in = Files.newInputStream(file); var out = exchange.getResponseBody()) {
          byte[] chunk = new byte[64 * 1024];
          long start = System.nanoTime();
          long sent = 0;
          for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
            out.write(chunk, 0, n);
            sent += n;
            // Pacing, not waiting for an event: the next chunk leaves when the rate says it may.
            long early = start + sent * 1_000_000_000L / PACED_BYTES_PER_SECOND - System.nanoTime();
            if (early > 0) {
              TimeUnit.NANOSECONDS.sleep(early);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
      return new PacedFiles(server);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** 20 jobs submitted at once against bare ffmpeg two at a time, with the most ffmpegs seen running at once. */
  static void backlog(String token, Path file) throws Exception {
    int jobs = 20;
    List<Double> systemRates = new ArrayList<>();
    List<Double> bareRates = new ArrayList<>();
    int mostAtOnce = 0;
    for (int run = 0; run < runs; run++) {
      FfmpegCounter counter = FfmpegCounter.start();
      long start = System.nanoTime();
      List<CompletableFuture<String>> submitted = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        submitted.add(CompletableFuture.supplyAsync(() -> submit(token, FILES + "/" + file.getFileName())));
      }
      List<String> ids = submitted.stream().map(CompletableFuture::join).toList();
      awaitCompleted(token, ids);
      systemRates.add(jobs / seconds(start) * 60);
      mostAtOnce = Math.max(mostAtOnce, counter.stop());
      bareRates.add(jobs / bareFfmpeg(Collections.nCopies(jobs, file), 2) * 60);
    }
    row("20 jobs (3-minute WAV) submitted at once vs bare ffmpeg two at a time (median of %d)".formatted(runs),
        "%.0f vs %.0f jobs/min = **%.0f%%**; at most %d ffmpeg at once".formatted(median(systemRates),
            median(bareRates), 100 * median(systemRates) / median(bareRates), mostAtOnce),
        ">= 90%, never more ffmpegs than configured");
  }

  /**
   * A 2 GB WAV converted by the worker started alone from its Boot jar with a 256 MB heap (the services' JVM
   * settings, services/jvm.options), beside the launcher, whose own worker stops consuming first (Jolokia, admin):
   * the time from POST to completed, and the worker's RSS when idle and at its peak during the job. The caps are
   * raised for this worker only (the file is over the default 500 MB and 3 h).
   */
  static void bigInput(String token, Path file) throws Exception {
    new Jolokia(WORKER_MANAGEMENT, "admin", ADMIN_PASSWORD)
        .exec("org.apache.camel:context=worker,type=routes,name=\"worker-consume\"", "stop()");
    ProcessBuilder builder = new ProcessBuilder("java", "@services/jvm.options", "-Xmx256m", "-jar",
        "services/worker/target/worker-0.1.0-SNAPSHOT-exec.jar")
        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("worker-alone.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("SERVER_PORT", "18082");
    env.put("MANAGEMENT_SERVER_PORT", "19082");
    env.put("MP3_S3_ENDPOINT", "http://127.0.0.1:9000");
    env.put("MP3_S3_ACCESS_KEY", S3_ACCESS_KEY);
    env.put("MP3_S3_SECRET_KEY", S3_SECRET_KEY);
    env.put("MP3_S3_BUCKET", "mp3");
    env.put("SPRING_RABBITMQ_VIRTUAL_HOST", VHOST);
    env.put("MP3_ALLOW_PRIVATE_SOURCES", "true");
    env.put("MP3_SOURCE_PORTS", "80,443,8090");
    env.put("MP3_MAX_SOURCE_BYTES", Long.toString(Files.size(file) + 1_000_000));
    env.put("MP3_MAX_DURATION_SECONDS", "20000");
    Process worker = builder.start();
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (!ready(WORKER_ALONE_MANAGEMENT)) {
        if (!worker.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the worker alone did not start; see " + work.resolve("worker-alone.log"));
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
      long idle = rssKb(worker.pid());
      RssSampler rss = RssSampler.start(worker.pid());
      long start = System.nanoTime();
      String id = submit(token, FILES + "/" + file.getFileName());
      awaitCompleted(token, List.of(id));
      double took = seconds(start);
      long peak = rss.stop();
      row("a 2 GB WAV (3 h 9 min), the worker alone at -Xmx256m: POST until completed; the worker's RSS idle / peak",
          "%.1f s; %d MB / %d MB".formatted(took, idle / 1024, peak / 1024),
          "converts, RSS flat (independent of the input's size)");
    } finally {
      worker.destroy();
      worker.waitFor(30, TimeUnit.SECONDS);
      worker.destroyForcibly();
    }
  }

  static boolean ready(String management) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(management + "/actuator/health/readiness")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (Exception notYet) {
      return false;
    }
  }

  /**
   * Authenticated POST /conversions by 32 users in turn (wrk takes the next user's token for each request), so what
   * is measured is the intake, not one user's ever longer list of unfinished jobs that the per-user limit counts
   * (each user still has hundreds queued by the end). The worker's consumer route is stopped first (through
   * Jolokia, as an admin), so the jobs stay queued and the conversions do not compete with the intake for the cores.
   */
  static void intake() throws Exception {
    Jolokia admin = new Jolokia(WORKER_MANAGEMENT, "admin", ADMIN_PASSWORD);
    admin.exec("org.apache.camel:context=worker,type=routes,name=\"worker-consume\"", "stop()");
    List<String> tokens = new ArrayList<>();
    for (int user = 0; user < 32; user++) {
      tokens.add(userToken());
    }
    String body = "{\"url\":\"" + FILES + "/never-fetched.wav\",\"bitrate\":\"192k\"}";
    List<Wrk> results = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      results.add(Wrk.run(32, 20, new Wrk.Post(body, tokens), API + "/conversions"));
    }
    Wrk middle = results.stream().sorted((a, b) -> Double.compare(a.rate, b.rate)).toList().get(results.size() / 2);
    OpenLoop paced = OpenLoop.run(650, 20, tokens, body);
    row("intake, authenticated POST /conversions by 32 users (wrk, 2 threads, 32 connections, 20 s; median of %d)"
            .formatted(runs),
        "%,.0f req/s, p99 %s, non-2xx %d; at 650 req/s (open loop, 20 s): p99 %.0f ms, %d of %d answered 202"
            .formatted(middle.rate, middle.p99, middle.non2xx, paced.p99Millis, paced.accepted, paced.sent),
        ">= 1,300 req/s, p99 < 50 ms at 650 req/s");
    notes.add("The intake row stops the worker's `worker-consume` route (Jolokia, admin) so accepted jobs stay"
        + " queued; the launcher is stopped afterwards and its data folder deleted with the next run.");
  }

  /** Logins with the right password, 32 connections, and the launcher JVM's largest RSS meanwhile. */
  static void logins(Launcher launcher) throws Exception {
    String email = "login-" + UUID.randomUUID() + "@example.com";
    String password = "correct horse battery staple";
    register(email, password);
    String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    List<Wrk> results = new ArrayList<>();
    RssSampler rss = RssSampler.start(launcher.pid());
    for (int run = 0; run < runs; run++) {
      results.add(Wrk.run(32, 20, new Wrk.Post(body, List.of()), API + "/auth/login"));
    }
    long peak = rss.stop();
    Wrk middle = results.stream().sorted((a, b) -> Double.compare(a.okRate(), b.okRate())).toList()
        .get(results.size() / 2);
    row("login, 32 connections, 20 s (median of %d); the JVM's RSS meanwhile (all four services)".formatted(runs),
        "%,.1f logins/s answered 200 (p99 %s, non-2xx %d), RSS peak %d MB".formatted(middle.okRate(), middle.p99,
            middle.non2xx, peak / 1024),
        ">= 47 req/s at OWASP Argon2id parameters, RSS < 512 MB");
  }

  // ------------------------------------------------------------------------------------------------------------
  // The system and the user
  // ------------------------------------------------------------------------------------------------------------

  /** The README's run command over the benchmark's own data folder, with limits meant for one user raised. */
  static final class Launcher {
    final Process maven;
    final double runCommandSeconds;
    final double ownCount;

    private Launcher(Process maven, double runCommandSeconds, double ownCount) {
      this.maven = maven;
      this.runCommandSeconds = runCommandSeconds;
      this.ownCount = ownCount;
    }

    static Launcher start() throws Exception {
      deleteTree(data);
      Files.createDirectories(data.resolve("files"));
      for (String name : List.of("three-minutes.wav", "thirty-minutes.wav", "two-gigabytes.wav")) {
        if (Files.exists(work.resolve(name))) {
          Files.createLink(data.resolve("files").resolve(name), work.resolve(name));
        }
      }
      ProcessBuilder builder = new ProcessBuilder("mvn", "-q", "-Prun", "-DskipTests", "verify")
          .directory(root.toFile()).redirectErrorStream(true);
      Map<String, String> env = builder.environment();
      env.put("MP3_DATA_DIR", data.toString());
      env.put("MP3_HAWTIO_ADMIN_PASSWORD", ADMIN_PASSWORD);
      env.put("MP3_S3_ACCESS_KEY", S3_ACCESS_KEY);
      env.put("MP3_S3_SECRET_KEY", S3_SECRET_KEY);
      // Loopback sources: the launcher's file server and the benchmark's paced one (pacedJob).
      env.put("MP3_ALLOW_PRIVATE_SOURCES", "true");
      env.put("MP3_SOURCE_PORTS", "80,443,8090," + PACED_FILES_PORT);
      // One benchmark user submits thousands of jobs: the per-user limits are not what is measured.
      env.put("MP3_RATE_LIMIT_PER_MINUTE", "100000000");
      env.put("MP3_MAX_ACTIVE_JOBS", "100000000");
      // Likewise its logins: 32 at once from one address would otherwise meet the login throttle (attempts in
      // flight count against it), which is not what the login row measures.
      env.put("MP3_AUTH_LOGIN_ACCOUNT_LIMIT", "100000000");
      env.put("MP3_AUTH_LOGIN_CLIENT_LIMIT", "100000000");
      env.put("MP3_AUTH_REGISTER_CLIENT_LIMIT", "100000000");
      // A virtual host of the run's own: the intake row leaves thousands of jobs queued, which must not reach the
      // next run (or the next launcher on the default virtual host).
      freshVirtualHost();
      env.put("SPRING_RABBITMQ_VIRTUAL_HOST", VHOST);
      // A key's throttle bucket keeps the limit it was made with until its window ends (Bucket4j), so an earlier
      // run's buckets (made with the default limits, or used up) would still refuse this one: they go.
      try {
        run(Duration.ofMinutes(1), "psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "mp3_auth", "-qc",
            "DELETE FROM throttle_buckets WHERE id LIKE 'register-client:%' OR id LIKE 'login-%'");
      } catch (IllegalStateException noDatabaseYet) {
        // the launcher's first start creates it, without any bucket
      }
      long start = System.nanoTime();
      Process maven = builder.start();
      Pattern ready = Pattern.compile("ready in ([0-9.]+) s");
      BufferedReader out = new BufferedReader(new InputStreamReader(maven.getInputStream(), StandardCharsets.UTF_8));
      Path log = work.resolve("launcher.log");
      Files.deleteIfExists(log);
      CompletableFuture<Double> readyIn = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try {
          for (String line; (line = out.readLine()) != null; ) {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
            Matcher m = ready.matcher(line);
            if (m.find()) {
              readyIn.complete(Double.parseDouble(m.group(1)));
            }
          }
        } catch (IOException e) {
          readyIn.completeExceptionally(e);
        }
        readyIn.completeExceptionally(new IllegalStateException("the run command ended; see " + log));
      }, "launcher-output");
      reader.setDaemon(true);
      reader.start();
      double own = readyIn.get(3, TimeUnit.MINUTES);
      double command = seconds(start);
      System.out.printf("launcher ready: %.1f s by its own count, %.1f s for the run command%n", own, command);
      return new Launcher(maven, command, own);
    }

    /** The JVM that runs the services: Maven's fork if it made one, otherwise Maven's own. */
    long pid() {
      return maven.descendants()
          .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("com.mp3converter.launcher.Launcher")).orElse(false))
          .map(ProcessHandle::pid).findFirst().orElse(maven.pid());
    }

    String readiness() throws IOException {
      return "%.1f s; %.1f s; %d MB".formatted(ownCount, runCommandSeconds, rssKb(pid()) / 1024);
    }

    void stop() throws Exception {
      List<ProcessHandle> all = new ArrayList<>(maven.descendants().toList());
      maven.destroy();
      if (!maven.waitFor(60, TimeUnit.SECONDS)) {
        maven.destroyForcibly();
      }
      all.forEach(ProcessHandle::destroyForcibly);
      run(Duration.ofMinutes(1), "rabbitmqctl", "-q", "delete_vhost", VHOST);
    }

    /** The run's RabbitMQ virtual host, empty (what an earlier run left is deleted with it). */
    static void freshVirtualHost() throws Exception {
      try {
        run(Duration.ofMinutes(1), "rabbitmqctl", "-q", "delete_vhost", VHOST);
      } catch (IllegalStateException absent) {
        // no earlier run's host
      }
      run(Duration.ofMinutes(1), "rabbitmqctl", "-q", "add_vhost", VHOST);
      run(Duration.ofMinutes(1), "rabbitmqctl", "-q", "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
    }
  }

  /** A verified user's access token (registration answers 201, or 202 with a link in the local outbox). */
  static String userToken() throws Exception {
    String email = "bench-" + UUID.randomUUID() + "@example.com";
    String password = "correct horse battery staple";
    register(email, password);
    return login(email, password);
  }

  static void register(String email, String password) throws Exception {
    HttpResponse<String> registered = post(API + "/auth/register", null,
        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"Bench\"}");
    if (registered.statusCode() == 202) {
      String token = awaitOutboxToken(email, "verify");
      HttpResponse<String> verified = post(API + "/auth/verify", null, "{\"token\":\"" + token + "\"}");
      check(verified, 200);
    } else {
      check(registered, 201);
    }
  }

  static String login(String email, String password) throws Exception {
    HttpResponse<String> login = post(API + "/auth/login", null,
        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    check(login, 200);
    return field(login.body(), "access_token");
  }

  /** The token of the newest link {@code /<page>?token=...} in an email the local outbox saved for an address. */
  static String awaitOutboxToken(String email, String page) throws Exception {
    Pattern link = Pattern.compile("/" + page + "\\?token=([A-Za-z0-9_.~%-]+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (var files = Files.list(data.resolve("outbox"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
          String text = Files.readString(file);
          Matcher m = link.matcher(text);
          if (text.contains(email) && m.find()) {
            return m.group(1);
          }
        }
      } catch (java.nio.file.NoSuchFileException notYet) {
        // the outbox folder appears with the first email
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("no " + page + " email for " + email + " in " + data.resolve("outbox"));
  }

  /** Submits a job as a well-behaved client does: a 503 or 429 is retried after its Retry-After (ten times). */
  static String submit(String token, String url) {
    try {
      for (int attempt = 1; ; attempt++) {
        HttpResponse<String> answer = post(API + "/conversions", token,
            "{\"url\":\"" + url + "\",\"bitrate\":\"192k\"}");
        if ((answer.statusCode() == 503 || answer.statusCode() == 429) && attempt < 10) {
          long seconds = answer.headers().firstValueAsLong("Retry-After").orElse(1);
          TimeUnit.SECONDS.sleep(Math.max(1, seconds));
          continue;
        }
        check(answer, 202);
        return field(answer.body(), "id");
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Polls the open jobs' statuses until all are completed; a failed or cancelled job stops the run. One round every
   * 20 ms for a single job, and 10 ms per open job for a backlog (20 jobs: every 200 ms), so the polling itself
   * (each an authenticated request) does not take the cores from the conversions it waits for.
   */
  static void awaitCompleted(String token, List<String> ids) throws Exception {
    List<String> open = new ArrayList<>(ids);
    long deadline = System.nanoTime() + JOB_DEADLINE.toNanos();
    while (!open.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(open.size() + " jobs not completed within " + JOB_DEADLINE);
      }
      for (var it = open.iterator(); it.hasNext(); ) {
        String id = it.next();
        HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create(API + "/conversions/" + id))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        String state = field(status.body(), "status");
        if (state.equals("completed")) {
          it.remove();
        } else if (state.equals("failed") || state.equals("cancelled")) {
          throw new IllegalStateException("job " + id + " ended " + state + ": " + status.body());
        }
      }
      TimeUnit.MILLISECONDS.sleep(Math.max(20, 10L * open.size()));
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Bare ffmpeg, fixtures and the worker's step timers
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Seconds for bare ffmpeg to convert the files, {@code parallel} at a time, with the flags the worker gives it
   * (FfmpegCommand.arguments for a WAV at 192k).
   */
  static double bareFfmpeg(List<Path> files, int parallel) throws Exception {
    Path out = Files.createDirectories(work.resolve("bare"));
    var pool = Executors.newFixedThreadPool(parallel);
    AtomicInteger n = new AtomicInteger();
    long start = System.nanoTime();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Path file : files) {
      done.add(CompletableFuture.runAsync(() -> {
        try {
          Path mp3 = out.resolve(n.incrementAndGet() + ".mp3");
          run(Duration.ofMinutes(5), "ffmpeg", "-nostdin", "-hide_banner", "-v", "error",
              "-protocol_whitelist", "file", "-f", "wav", "-i", "file:" + file,
              "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1",
              "-t", "14400", "-c:a", "libmp3lame", "-b:a", "192k", "-abort_on", "empty_output",
              "-f", "mp3", "-y", "file:" + mp3);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, pool));
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    pool.shutdown();
    return seconds(start);
  }

  /** A stereo 44.1 kHz 16-bit WAV of pink noise over a tone (noise keeps the encoder honest), made once. */
  static Path fixture(String name, int seconds) throws Exception {
    Path file = work.resolve(name);
    if (!Files.exists(file)) {
      run(Duration.ofMinutes(5), "ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
          "anoisesrc=color=pink:amplitude=0.2:sample_rate=44100:duration=" + seconds, "-f", "lavfi", "-i",
          "sine=frequency=440:sample_rate=44100:duration=" + seconds, "-filter_complex", "amix=inputs=2,aformat=channel_layouts=stereo",
          "-c:a", "pcm_s16le", "-y", file.toString());
    }
    System.out.printf("fixture %s: %,d bytes%n", name, Files.size(file));
    return file;
  }

  /**
   * The per-step timers of a job's path (mp3_conversion_seconds by step: the worker's steps and the gateway's
   * status_update): step -> {sum of seconds, count}, from the two services' Prometheus endpoints.
   */
  static Map<String, double[]> workerSteps() {
    Map<String, double[]> steps = new TreeMap<>();
    Pattern line = Pattern.compile("^mp3_conversion_seconds_(sum|count)\\{[^}]*step=\"([a-z_]+)\"[^}]*\\} ([0-9.eE+-]+)$",
        Pattern.MULTILINE);
    for (String management : List.of(WORKER_MANAGEMENT, GATEWAY_MANAGEMENT)) {
      try {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(management + "/actuator/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = line.matcher(text);
        while (m.find()) {
          double[] figures = steps.computeIfAbsent(m.group(2), k -> new double[2]);
          figures[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
        }
      } catch (Exception e) {
        notes.add("The step timers of " + management + " could not be read: " + e.getMessage());
      }
    }
    return steps;
  }

  static String stepDeltas(Map<String, double[]> before, Map<String, double[]> after) {
    List<String> parts = new ArrayList<>();
    after.forEach((step, figures) -> {
      double[] earlier = before.getOrDefault(step, new double[2]);
      double count = figures[1] - earlier[1];
      if (count > 0) {
        parts.add("%s %.2f s".formatted(step, (figures[0] - earlier[0]) / count));
      }
    });
    return parts.isEmpty() ? "(none exported)" : String.join(", ", parts);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Load generators and samplers
  // ------------------------------------------------------------------------------------------------------------

  /** One wrk run (Debian's wrk) and the figures of its --latency report. */
  static final class Wrk {
    /** A POST with this body, as one of these users in turn (none: no Authorization header). */
    record Post(String body, List<String> bearers) {}

    double rate;
    String p99 = "?";
    long non2xx;
    long requests;
    double seconds;

    /** Requests per second that were answered 2xx or 3xx. */
    double okRate() {
      return (requests - non2xx) / seconds;
    }

    static Wrk run(int connections, int seconds, Post post, String url) throws Exception {
      List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
          "--timeout", "10s", "--latency"));
      if (post != null) {
        Path script = Files.createTempFile(work, "wrk-", ".lua");
        script.toFile().deleteOnExit();
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n")
            .append("wrk.headers[\"Content-Type\"] = \"application/json\"\n")
            .append("wrk.body = [[").append(post.body).append("]]\n");
        if (!post.bearers.isEmpty()) {
          lua.append("tokens = {").append(post.bearers.stream().map(t -> "\"" + t + "\"")
              .collect(Collectors.joining(","))).append("}\n")
              .append("n = 0\n")
              .append("request = function()\n")
              .append("  n = n + 1\n")
              .append("  wrk.headers[\"Authorization\"] = \"Bearer \" .. tokens[n % #tokens + 1]\n")
              .append("  return wrk.format()\n")
              .append("end\n");
        }
        Files.writeString(script, lua);
        command.addAll(List.of("-s", script.toString()));
      }
      command.add(url);
      List<String> lines = Bench.run(Duration.ofSeconds(seconds + 60), command.toArray(String[]::new));
      Wrk result = new Wrk();
      for (String line : lines) {
        String trimmed = line.trim();
        if (trimmed.startsWith("Requests/sec:")) {
          result.rate = Double.parseDouble(trimmed.substring("Requests/sec:".length()).trim());
        } else if (trimmed.startsWith("99%")) {
          result.p99 = trimmed.substring(3).trim();
        } else if (trimmed.matches("[0-9]+ requests in [0-9.]+s, .*")) {
          String[] words = trimmed.split("\\s+");
          result.requests = Long.parseLong(words[0]);
          result.seconds = Double.parseDouble(words[3].replace("s,", "").replace("s", ""));
        } else if (trimmed.startsWith("Non-2xx or 3xx responses:")) {
          result.non2xx = Long.parseLong(trimmed.substring("Non-2xx or 3xx responses:".length()).trim());
        }
      }
      System.out.printf("wrk %s: %.1f req/s, p99 %s, non-2xx %d%n", url.replaceAll("/downloads/.*", "/downloads/…"),
          result.rate, result.p99, result.non2xx);
      return result;
    }
  }

  /**
   * Requests sent on a fixed schedule whatever the answers (so a slow answer cannot hold back the next request);
   * latency counts from the scheduled send time.
   */
  static final class OpenLoop {
    int sent;
    int accepted;
    double p99Millis;

    static OpenLoop run(int perSecond, int seconds, List<String> tokens, String body) throws Exception {
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      AtomicInteger accepted = new AtomicInteger();
      int total = perSecond * seconds;
      CountDownLatch answered = new CountDownLatch(total);
      long start = System.nanoTime();
      long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
      for (int i = 0; i < total; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        HTTP.sendAsync(HttpRequest.newBuilder(URI.create(API + "/conversions")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + tokens.get(i % tokens.size()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
            .whenComplete((answer, error) -> {
              latencies.add(System.nanoTime() - due);
              if (answer != null && answer.statusCode() == 202) {
                accepted.incrementAndGet();
              }
              answered.countDown();
            });
      }
      answered.await(seconds + 30L, TimeUnit.SECONDS);
      OpenLoop result = new OpenLoop();
      result.sent = total;
      result.accepted = accepted.get();
      List<Long> sorted = latencies.stream().sorted().toList();
      result.p99Millis = sorted.isEmpty() ? Double.NaN : sorted.get((int) (sorted.size() * 0.99)) / 1e6;
      System.out.printf("open loop %d/s: p99 %.0f ms, %d of %d accepted%n", perSecond, result.p99Millis,
          result.accepted, total);
      return result;
    }
  }

  /** The most ffmpeg processes seen running at once, sampled every 50 ms. */
  static final class FfmpegCounter {
    final AtomicInteger most = new AtomicInteger();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    static FfmpegCounter start() {
      FfmpegCounter counter = new FfmpegCounter();
      counter.timer.scheduleAtFixedRate(() -> {
        int now = (int) ProcessHandle.allProcesses()
            .filter(p -> p.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false)).count();
        counter.most.accumulateAndGet(now, Math::max);
      }, 0, 50, TimeUnit.MILLISECONDS);
      return counter;
    }

    int stop() {
      timer.shutdownNow();
      return most.get();
    }
  }

  /** The largest RSS of one process, sampled every 200 ms (kB). */
  static final class RssSampler {
    final AtomicInteger peak = new AtomicInteger();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    static RssSampler start(long pid) {
      RssSampler sampler = new RssSampler();
      sampler.timer.scheduleAtFixedRate(() -> {
        try {
          sampler.peak.accumulateAndGet((int) rssKb(pid), Math::max);
        } catch (IOException gone) {
          // the process ended: keep the peak seen so far
        }
      }, 0, 200, TimeUnit.MILLISECONDS);
      return sampler;
    }

    long stop() {
      timer.shutdownNow();
      return peak.get();
    }
  }

  /** Jolokia on a management port, as a script uses it: HTTP Basic, POST with the XSRF-TOKEN cookie's value. */
  static final class Jolokia {
    final String base;
    final String authorization;
    final CookieManager cookies = new CookieManager();
    final HttpClient http;

    Jolokia(String base, String user, String password) {
      this.base = base;
      this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
      this.http = HttpClient.newBuilder().cookieHandler(cookies).build();
    }

    void exec(String mbean, String operation) throws Exception {
      http.send(HttpRequest.newBuilder(URI.create(base + "/actuator")).header("Authorization", authorization).build(),
          HttpResponse.BodyHandlers.discarding());
      String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
          .map(HttpCookie::getValue).findFirst().orElseThrow(() -> new IllegalStateException("no XSRF-TOKEN cookie"));
      String json = "{\"type\":\"exec\",\"mbean\":\"" + mbean.replace("\"", "\\\"") + "\",\"operation\":\""
          + operation + "\"}";
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/jolokia"))
          .header("Authorization", authorization).header("X-XSRF-TOKEN", csrf)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200 || !answer.body().contains("\"status\":200")) {
        throw new IllegalStateException("Jolokia " + operation + " on " + mbean + ": " + answer.body());
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // The table
  // ------------------------------------------------------------------------------------------------------------

  static void row(String measure, String result, String goal) {
    rows.add(new String[] {measure, result, goal});
    System.out.println("| " + measure + " | " + result + " | " + goal + " |");
  }

  static String table(String started, String machine, String loadBefore) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("Run started ").append(started).append(" with `bench/run.sh")
        .append(quick ? " --quick" : runs == 3 ? "" : " --runs=" + runs).append("` on ").append(machine)
        .append(". Load average before the run: ").append(loadBefore).append("; after: ")
        .append(Files.readString(Path.of("/proc/loadavg")).trim()).append(".\n\n");
    out.append("| measure | result | goal |\n|---|---|---|\n");
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    for (String note : notes) {
      out.append("\n").append(note).append("\n");
    }
    return out.toString();
  }

  /** Replaces what lies between the results markers of docs/performance.md (appends them the first time). */
  static void writeInto(Path doc, String table) throws IOException {
    String begin = "<!-- bench/run.sh results: begin -->";
    String end = "<!-- bench/run.sh results: end -->";
    String text = Files.readString(doc);
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    String block = begin + "\n" + table + end;
    text = from >= 0 && to > from ? text.substring(0, from) + block + text.substring(to + end.length())
        : text + "\n## The latest `bench/run.sh`\n" + block + "\n";
    Files.writeString(doc, text);
  }

  static String machine() throws Exception {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
    long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
        .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
    String ffmpeg = run(Duration.ofSeconds(30), "ffmpeg", "-version").get(0).replaceAll(" Copyright.*", "");
    return "%d cores (%s), %d GiB, Java %s, %s".formatted(Runtime.getRuntime().availableProcessors(), cpu,
        Math.round(memKb / 1024.0 / 1024.0), System.getProperty("java.version"), ffmpeg);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Small tools
  // ------------------------------------------------------------------------------------------------------------

  /** Runs a command to its end (bounded), returns its output lines; a non-zero exit is an error. */
  static List<String> run(Duration limit, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
    CompletableFuture<List<String>> output = CompletableFuture.supplyAsync(() -> new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).lines().toList());
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " took longer than " + limit);
    }
    List<String> lines = output.get(10, TimeUnit.SECONDS);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n"
          + String.join("\n", lines));
    }
    return lines;
  }

  static HttpResponse<String> post(String url, String bearer, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void check(HttpResponse<String> answer, int expected) {
    if (answer.statusCode() != expected) {
      throw new IllegalStateException(answer.request().uri() + " answered " + answer.statusCode() + ", not "
          + expected + ": " + answer.body());
    }
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile(JSON_STRING.pattern().formatted(Pattern.quote(name))).matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no \"" + name + "\" in " + json);
    }
    return m.group(1);
  }

  static long rssKb(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS"))
        .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
