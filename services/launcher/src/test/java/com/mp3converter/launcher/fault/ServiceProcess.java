package com.mp3converter.launcher.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One service in a JVM of its own, so a test can kill it the way an orchestrator or a crash does: SIGKILL
 * ({@link #kill}), or SIGTERM and wait ({@link #terminate}). It runs the same main class a container runs, from
 * the test's classpath (which holds all four services), with environment-style settings as arguments, and its
 * output goes to a log file next to the test reports.
 */
final class ServiceProcess implements AutoCloseable {
  /**
   * A health answer may take as long as a check of a database that is down: the pool's connection timeout (5 s),
   * which the readiness group's {@code db} check waits out.
   */
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final int managementPort;

  private ServiceProcess(String name, Process process, Path log, int managementPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.managementPort = managementPort;
  }

  /**
   * Starts {@code mainClass} and returns at once, ready or not (its dependencies may be down on purpose; see
   * {@link #awaitReady}).
   *
   * @param settings environment-style settings and Spring properties, passed as {@code --name=value}
   */
  static ServiceProcess launch(String name, Class<?> mainClass, Map<String, String> settings, int httpPort,
      int managementPort, Path logs) throws IOException {
    Files.createDirectories(logs);
    Path log = logs.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        // Small and quick to start: four services and the test share two cores.
        "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-cp", System.getProperty("java.class.path"),
        mainClass.getName()));
    settings.forEach((key, value) -> command.add("--" + key + "=" + value));
    command.add("--server.port=" + httpPort);
    command.add("--management.server.port=" + managementPort);
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return new ServiceProcess(name, process, log, managementPort);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void awaitReady(Duration timeout) {
    try {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
        if (!process.isAlive()) {
          throw new AssertionError(name + " exited with " + process.exitValue() + " while starting:\n" + logTail());
        }
        return ready();
      });
    } catch (ConditionTimeoutException notReady) {
      throw new AssertionError(name + " was not ready within " + timeout + ":\n" + logTail(), notReady);
    }
  }

  boolean ready() {
    return probe(managementPort, "readiness") == 200;
  }

  /**
   * The status code of a health group ({@code liveness}, {@code readiness}) on a management port; 0 when nothing
   * answers there.
   */
  static int probe(int managementPort, String group) {
    return health(managementPort, group).map(HttpResponse::statusCode).orElse(0);
  }

  /** A health group's answer (its components are shown when the service shows them); empty when nothing answers. */
  static Optional<HttpResponse<String>> health(int managementPort, String group) {
    try {
      return Optional.of(HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/" + group))
          .timeout(HEALTH_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  int managementPort() {
    return managementPort;
  }

  /** The ffmpeg conversions this service is running right now (ffprobe runs are not counted). */
  List<ProcessHandle> ffmpegRuns() {
    return process.descendants()
        .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().equals("ffmpeg")).orElse(false))
        .toList();
  }

  /**
   * SIGKILL, as a crash or an OOM kill does: no shutdown hook runs, nothing is acknowledged or cleaned up. The
   * tools it started die with it too, as they do when a container is killed.
   */
  void kill() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not die on SIGKILL");
    }
  }

  /** SIGTERM, as Kubernetes stops a pod; waits up to {@code grace} for the process to exit. */
  Optional<Integer> terminate(Duration grace) throws InterruptedException {
    process.destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return Optional.of(process.exitValue());
    }
    return Optional.empty();
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
