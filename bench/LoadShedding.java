// Load-shedding benchmark of the gateway's intake (run by bench/load-shedding.sh; Java 17 single-file program,
// JDK only). It starts the gateway's Boot jar against the local PostgreSQL and RabbitMQ, serves the JWKS of a key
// it signs access tokens with (in place of auth), measures the authenticated POST /conversions rate the gateway
// sustains, drives twice that rate, and then a moderate rate again, and prints what the gateway answered. With
// -Dbench.mode=intake it instead measures the issue-15 intake row against the gateway alone: wrk (2 threads,
// 32 connections, 20 s, one user's token, as bench/Bench.java does against the launcher) bench.runs times, then an
// open loop at bench.rate requests/s (650) for 20 s, with the load average before and after each. With
// -Dbench.mode=reject it measures token rejection from the first request: right after readiness (no warm-up of its
// own), wrk (2 threads, 32 connections, 20 s) bench.runs times against GET /downloads/{a forged token}, printing the
// rate and p99 of each run and the time from launch to readiness; -Dbench.jfr=FILE profiles the first run only
// (-Dbench.jfr-settings: another JFR configuration than "profile", e.g. one that records exceptions thrown).
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

public class LoadShedding {
  static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  static final int PORT = Integer.getInteger("bench.port", 18180);
  static final int MANAGEMENT_PORT = PORT + 1000;
  static final String BASE = "http://127.0.0.1:" + PORT;
  static final int CLIENTS = Integer.getInteger("bench.clients", 8);
  static final int MEASURE_S = Integer.getInteger("bench.measure-seconds", 20);
  static final int OVERLOAD_S = Integer.getInteger("bench.overload-seconds", 30);
  static final int AFTER_S = Integer.getInteger("bench.after-seconds", 15);
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final boolean INTAKE_MODE = "intake".equals(System.getProperty("bench.mode"));
  static final boolean REJECT_MODE = "reject".equals(System.getProperty("bench.mode"));
  /** The invalid token: an HS256 header, a claim set, and a signature of 43 'A's. */
  static final String FORGED_TOKEN = B64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8))
      + ".eyJzdWIiOiJ4In0." + "A".repeat(43);
  static final int USERS = Integer.getInteger("bench.users", INTAKE_MODE ? 1 : 2000);
  static final int RUNS = Integer.getInteger("bench.runs", 3);
  static final int RATE = Integer.getInteger("bench.rate", 650);
  /** The length of each wrk run in the reject mode (the row: 20 s). */
  static final int REJECT_S = Integer.getInteger("bench.seconds", 20);
  static final byte[] BODY = "{\"url\":\"https://audio.example.com/a.wav\"}".getBytes(StandardCharsets.UTF_8);

  record Result(int status, long nanos, boolean problemOk) {}

  static KeyPair keys;
  static List<String> tokens = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    String jar = args[0];
    String database = args[1];
    String vhost = args[2];
    List<String> jvmOptions = Arrays.asList(args).subList(3, args.length);

    keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    HttpServer jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] jwksBody = ("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"bench\",\"use\":\"sig\",\"alg\":\"EdDSA\","
        + "\"x\":\"" + B64.encodeToString(Arrays.copyOfRange(keys.getPublic().getEncoded(), 12, 44)) + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);
    jwks.createContext("/.well-known/jwks.json", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, jwksBody.length);
      exchange.getResponseBody().write(jwksBody);
      exchange.close();
    });
    jwks.start();
    for (int i = 0; i < USERS; i++) {
      tokens.add(token(UUID.randomUUID().toString()));
    }

    List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(new File("/tmp/bench-load-shedding-gateway.log"));
    Map<String, String> env = builder.environment();
    env.put("SERVER_PORT", Integer.toString(PORT));
    env.put("MANAGEMENT_SERVER_PORT", Integer.toString(MANAGEMENT_PORT));
    env.put("SPRING_DATASOURCE_URL", database);
    env.put("SPRING_RABBITMQ_VIRTUAL_HOST", vhost);
    env.put("MP3_AUTH_URL", "http://127.0.0.1:" + jwks.getAddress().getPort());
    // One gateway under test: the per-user limits would refuse the benchmark's users long before the gateway's own.
    env.put("MP3_RATE_LIMIT_PER_MINUTE", "1000000");
    env.put("MP3_MAX_ACTIVE_JOBS", "1000000");
    // The gateway refuses to start without these secrets; nothing in this benchmark uses them.
    env.put("MP3_INTERNAL_TOKEN", randomHex(32));
    env.put("MP3_S3_ACCESS_KEY", "bench");
    env.put("MP3_S3_SECRET_KEY", randomHex(24));
    long launched = System.nanoTime();
    Process gateway = builder.start();
    try {
      awaitReady(gateway);
      double readySeconds = (System.nanoTime() - launched) / 1e9;
      if (REJECT_MODE) {
        System.out.printf("gateway pid %d, %s, ready after %.1f s%n", gateway.pid(), String.join(" ", jvmOptions),
            readySeconds);
        rejectRow(gateway.pid());
        return;
      }
      System.out.printf("gateway pid %d, %s%n", gateway.pid(), String.join(" ", jvmOptions));
      System.out.printf("settings: MP3_INTAKE_MAX_CONCURRENT=%s MP3_INTAKE_MAX_WAIT_MS=%s MP3_REQUEST_THREADS=%s "
          + "MP3_REQUEST_QUEUE=%s (unset = gateway.yaml defaults)%n", System.getenv("MP3_INTAKE_MAX_CONCURRENT"),
          System.getenv("MP3_INTAKE_MAX_WAIT_MS"), System.getenv("MP3_REQUEST_THREADS"), System.getenv("MP3_REQUEST_QUEUE"));

      closedLoop(10); // warm-up (JIT, pools)
      if (INTAKE_MODE) {
        intakeRow(gateway.pid());
        return;
      }
      List<Result> measured = closedLoop(MEASURE_S);
      double sustained = measured.stream().filter(r -> r.status() == 202).count() / (double) MEASURE_S;
      System.out.printf("%nsustained (closed loop, %d clients, %d s): %.0f accepted/s%n", CLIENTS, MEASURE_S, sustained);
      report("  measure", measured, MEASURE_S);

      long heapBefore = heapUsed();
      List<Long> heapDuring = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean overloading = new AtomicBoolean(true);
      Thread sampler = new Thread(() -> {
        while (overloading.get()) {
          heapDuring.add(heapUsed());
          LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
      });
      sampler.start();
      double overloadRate = 2 * sustained;
      List<Result> overload = openLoop(overloadRate, OVERLOAD_S);
      overloading.set(false);
      sampler.join();
      System.out.printf("%noverload (open loop, %.0f requests/s = 2x, %d s):%n", overloadRate, OVERLOAD_S);
      report("  overload", overload, OVERLOAD_S);

      double afterRate = sustained / 2;
      List<Result> after = openLoop(afterRate, AFTER_S);
      System.out.printf("%nafter (open loop, %.0f requests/s = 0.5x, %d s):%n", afterRate, AFTER_S);
      report("  after", after, AFTER_S);
      long accepted = after.stream().filter(r -> r.status() == 202).count();
      System.out.printf("  success rate after the overload: %.1f %%%n", 100.0 * accepted / after.size());
      long heapAfter = heapUsed();
      System.out.printf("%nheap used (MB): before %d, during max %d (of %d samples), after %d; heap max %d%n",
          heapBefore >> 20, heapDuring.stream().mapToLong(Long::longValue).max().orElse(0) >> 20, heapDuring.size(),
          heapAfter >> 20, heapMax() >> 20);
      System.out.printf("gateway still the same process: %s (pid %d)%n", gateway.isAlive(), gateway.pid());
    } finally {
      gateway.destroy();
      gateway.waitFor();
      jwks.stop(0);
    }
  }

  /** wrk's rate and the open loop's p99, as the intake row states them; the load average beside each. */
  static void intakeRow(long gatewayPid) throws Exception {
    java.nio.file.Path script = java.nio.file.Files.createTempFile("bench-intake-", ".lua");
    script.toFile().deleteOnExit();
    // bench.users tokens (default one, as bench/Bench.java sends), taken in turn by each wrk thread.
    StringBuilder lua = new StringBuilder("local tokens = {\n");
    for (String token : tokens) {
      lua.append("  \"").append(token).append("\",\n");
    }
    lua.append("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n")
        .append("  return wrk.format(\"POST\", nil, {[\"Content-Type\"] = \"application/json\", ")
        .append("[\"Authorization\"] = \"Bearer \" .. tokens[(i % #tokens) + 1]}, [[")
        .append(new String(BODY, StandardCharsets.UTF_8)).append("]])\nend\n");
    java.nio.file.Files.writeString(script, lua);
    // -Dbench.jfr=FILE: a JFR profile of the gateway during the wrk runs only (not start-up, not the warm-up).
    String jfr = System.getProperty("bench.jfr");
    if (jfr != null) {
      jcmd(gatewayPid, "JFR.start", "name=intake", "settings=profile", "filename=" + jfr);
    }
    for (int run = 0; run < RUNS; run++) {
      System.out.printf("%nwrk run %d, load average before: %s%n", run + 1, loadAverage());
      Process wrk = new ProcessBuilder("wrk", "-t2", "-c32", "-d20s", "--timeout", "10s", "--latency", "-s",
          script.toString(), BASE + "/conversions").redirectErrorStream(true).start();
      for (String line : new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.trim();
        if (t.startsWith("Requests/sec") || t.startsWith("50%") || t.startsWith("99%") || t.startsWith("Non-2xx")
            || t.contains("requests in")) {
          System.out.println("  " + t);
        }
      }
      wrk.waitFor();
    }
    if (jfr != null) {
      jcmd(gatewayPid, "JFR.stop", "name=intake");
    }
    System.out.printf("%nopen loop %d/s, 20 s, load average before: %s%n", RATE, loadAverage());
    List<Result> paced = openLoop(RATE, 20);
    report("  paced", paced, 20);
    System.out.printf("load average after: %s%n", loadAverage());
  }

  /**
   * GET /downloads/{forged token} from the first request on: wrk bench.runs times (2 threads, 32 connections,
   * bench.seconds, 20 s)
   * right after readiness; each run's rate and p99, the load average before it; then one answer, shown in full.
   */
  static void rejectRow(long gatewayPid) throws Exception {
    String jfr = System.getProperty("bench.jfr");
    for (int run = 0; run < RUNS; run++) {
      if (run == 0 && jfr != null) {
        jcmd(gatewayPid, "JFR.start", "name=reject",
            "settings=" + System.getProperty("bench.jfr-settings", "profile"), "filename=" + jfr);
      }
      System.out.printf("%nwrk run %d, load average before: %s%n", run + 1, loadAverage());
      Process wrk = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + REJECT_S + "s", "--timeout", "10s", "--latency",
          BASE + "/downloads/" + FORGED_TOKEN).redirectErrorStream(true).start();
      for (String line : new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.trim();
        if (t.startsWith("Requests/sec") || t.startsWith("50%") || t.startsWith("99%") || t.startsWith("Non-2xx")
            || t.contains("requests in") || t.startsWith("Socket errors")) {
          System.out.println("  " + t);
        }
      }
      wrk.waitFor();
      if (run == 0 && jfr != null) {
        jcmd(gatewayPid, "JFR.stop", "name=reject");
      }
    }
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/downloads/" + FORGED_TOKEN))
        .build(), HttpResponse.BodyHandlers.ofString());
    System.out.printf("%nanswer: %d %s%n  %s%n", answer.statusCode(), new TreeMap<>(answer.headers().map()),
        answer.body());
    String metrics = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + "/actuator/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("http_server_requests_seconds_count") && line.contains("downloads")) {
        System.out.println("  " + line);
      }
    }
    System.out.printf("load average after: %s%n", loadAverage());
  }

  static void jcmd(long pid, String... command) throws Exception {
    List<String> line = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/jcmd", Long.toString(pid)));
    line.addAll(List.of(command));
    Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (jcmd.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed");
    }
  }

  static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new java.security.SecureRandom().nextBytes(random);
    return java.util.HexFormat.of().formatHex(random);
  }

  static String loadAverage() throws java.io.IOException {
    return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
  }

  static void report(String phase, List<Result> results, int seconds) {
    Map<String, Integer> byStatus = new TreeMap<>();
    long shed = 0;
    long shedOk = 0;
    for (Result r : results) {
      byStatus.merge(r.status() < 0 ? "error/timeout" : Integer.toString(r.status()), 1, Integer::sum);
      if (r.status() == 429 || r.status() == 503) {
        shed++;
        if (r.problemOk()) {
          shedOk++;
        }
      }
    }
    long[] latencies = results.stream().mapToLong(Result::nanos).sorted().toArray();
    System.out.printf("%s: %d requests (%.0f/s), by status %s%n", phase, results.size(), results.size() / (double) seconds,
        byStatus);
    System.out.printf("%s: 429/503 with a problem body and Retry-After: %d of %d%n", phase, shedOk, shed);
    System.out.printf("%s: latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", phase, percentile(latencies, 50),
        percentile(latencies, 99), latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
  }

  static double percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
  }

  /** CLIENTS clients, each sending its next request when the last is answered. */
  static List<Result> closedLoop(int seconds) throws Exception {
    ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        int i = client;
        while (System.nanoTime() < end) {
          results.add(send(i += CLIENTS).join());
        }
      });
      t.start();
      clients.add(t);
    }
    for (Thread t : clients) {
      t.join();
    }
    return new ArrayList<>(results);
  }

  /** Requests at a fixed rate whatever the answers (an open loop, as real clients arrive). */
  static List<Result> openLoop(double rate, int seconds) {
    List<CompletableFuture<Result>> sent = new ArrayList<>();
    long period = (long) (1e9 / rate);
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    for (int i = 0; ; i++) {
      long at = start + i * period;
      if (at >= end) {
        break;
      }
      long wait = at - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      sent.add(send(i));
    }
    return sent.stream().map(CompletableFuture::join).toList();
  }

  static CompletableFuture<Result> send(int i) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(BASE + "/conversions"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + tokens.get(i % tokens.size()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
    long start = System.nanoTime();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
      long nanos = System.nanoTime() - start;
      if (failure != null) {
        return new Result(-1, nanos, false);
      }
      boolean problemOk = response.headers().firstValue("Retry-After").isPresent()
          && response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
          && response.body().contains("\"status\":" + response.statusCode());
      return new Result(response.statusCode(), nanos, problemOk);
    });
  }

  static String token(String user) throws Exception {
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"EdDSA\",\"kid\":\"bench\",\"typ\":\"JWT\"}";
    String claims = "{\"iss\":\"mp3-converter-auth\",\"aud\":[\"mp3-converter\"],\"sub\":\"" + user + "\",\"email\":\""
        + user + "@example.com\",\"email_verified\":true,\"name\":\"Bench\",\"use\":\"access\",\"jti\":\"" + UUID.randomUUID() + "\",\"iat\":"
        + now + ",\"nbf\":" + now + ",\"exp\":" + (now + 3600) + "}";
    String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature signature = Signature.getInstance("Ed25519");
    signature.initSign(keys.getPrivate());
    signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(signature.sign());
  }

  static void awaitReady(Process gateway) throws Exception {
    HttpRequest ready = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + "/actuator/health/readiness")).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    while (System.nanoTime() < deadline) {
      if (!gateway.isAlive()) {
        throw new IllegalStateException("the gateway died, see /tmp/bench-load-shedding-gateway.log");
      }
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // Not listening yet.
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    throw new IllegalStateException("the gateway was not ready within 300 s");
  }

  /** The JVM's heap in use (sum of the heap pools), from the gateway's Prometheus endpoint. */
  static long heapUsed() {
    return heapMetric("jvm_memory_used_bytes");
  }

  static long heapMax() {
    return heapMetric("jvm_memory_max_bytes");
  }

  static long heapMetric(String name) {
    try {
      String text = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + MANAGEMENT_PORT + "/actuator/prometheus")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      long sum = 0;
      for (String line : text.split("\n")) {
        if (line.startsWith(name + "{") && line.contains("area=\"heap\"")) {
          double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          sum += value > 0 ? (long) value : 0;
        }
      }
      return sum;
    } catch (Exception e) {
      return -1;
    }
  }
}
