package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.worker.BrokenOffStream;
import com.mp3converter.worker.media.ToolRunner.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the worker starts its tools (ToolRunner as the exec endpoints' command executor), checked with real processes
 * (the system's sh, env and sleep).
 */
class ToolRunnerTest {
  private static final Duration GRACE = Duration.ofMillis(500);

  private final ToolRunner runner = new ToolRunner(GRACE);

  @TempDir
  Path dir;

  /** The service's environment holds the S3 and RabbitMQ credentials; a tool sees none of it. */
  @Test
  void aToolSeesOnlyThePathAndALocale() throws Exception {
    assertThat(System.getenv()).as("this JVM has more to leak than that").containsKey("PATH").hasSizeGreaterThan(2);

    Result run = run(Duration.ofSeconds(30), "env");

    Map<String, String> seen = Arrays.stream(text(run.getStdout()).split("\n"))
        .filter(line -> line.contains("="))
        .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')), line -> line.substring(line.indexOf('=') + 1)));
    assertThat(seen).containsOnlyKeys("PATH", "LC_ALL");
    assertThat(seen).containsEntry("PATH", System.getenv("PATH")).containsEntry("LC_ALL", "C");
  }

  @Test
  void theEnvironmentKeepsOnlyThePathOfTheService() {
    Map<String, String> service = Map.of(
        "PATH", "/opt/ffmpeg/bin:/usr/bin", "MP3_S3_SECRET_KEY", "s3-secret", "SPRING_RABBITMQ_PASSWORD", "amqp-secret",
        "HOME", "/home/worker");

    assertThat(ToolRunner.toolEnvironment(service))
        .isEqualTo(Map.of("PATH", "/opt/ffmpeg/bin:/usr/bin", "LC_ALL", "C"));
    assertThat(ToolRunner.toolEnvironment(Map.of())).containsKeys("PATH", "LC_ALL");
  }

  /**
   * At its timeout a tool gets SIGTERM; one that ignores it (here a sleep started with SIGTERM ignored) gets
   * SIGKILL after the grace period, and the run returns once it is gone.
   */
  @Test
  void aToolThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    long started = System.nanoTime();

    Result run = run(timeout, "sh", "-c", "echo $$ > tool.pid; trap '' TERM; exec sleep 60");

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    long pid = Long.parseLong(Files.readString(dir.resolve("tool.pid")).strip());
    System.out.printf("[tool] a SIGTERM-ignoring tool with a %d ms timeout and a %d ms grace was gone after %d ms%n",
        timeout.toMillis(), GRACE.toMillis(), took.toMillis());
    assertThat(run.timedOut()).isTrue();
    assertThat(run.getExitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(took).isGreaterThanOrEqualTo(timeout.plus(GRACE)).isLessThan(timeout.plus(GRACE).plusSeconds(5));
  }

  /** A tool that honours SIGTERM ends with it and is not killed (ffmpeg closes its output that way). */
  @Test
  void aToolThatStopsOnSigtermIsNotKilled() throws Exception {
    Result run = run(Duration.ofMillis(300), "sh", "-c", "trap 'exit 7' TERM; while :; do sleep 0.05; done");

    assertThat(run.timedOut()).isTrue();
    assertThat(run.getExitValue()).isEqualTo(7);
  }

  @Test
  void aToolThatEndsInTimeIsNotStopped() throws Exception {
    Result run = run(Duration.ofSeconds(30), "sh", "-c", "echo out; echo err >&2; exit 3");

    assertThat(run.timedOut()).isFalse();
    assertThat(run.getExitValue()).isEqualTo(3);
    assertThat(text(run.getStdout())).isEqualTo("out\n");
    assertThat(text(run.getStderr())).isEqualTo("err\n");
  }

  /** Whatever a tool writes, a run keeps the head of stdout and the tail of stderr, each within its limit. */
  @Test
  void aToolsOutputIsKeptWithinItsLimits() throws Exception {
    Result run = run(Duration.ofSeconds(60), "sh", "-c",
        "echo '{\"start\":' ; head -c 20000000 /dev/zero | tr '\\000' 'o'; echo first >&2; "
        + "head -c 20000000 /dev/zero | tr '\\000' 'e' >&2; echo ' last' >&2");

    assertThat(run.timedOut()).isFalse();
    assertThat(text(run.getStdout())).hasSize(ToolRunner.STDOUT_LIMIT).startsWith("{\"start\":");
    assertThat(text(run.getStderr())).hasSize(ToolRunner.STDERR_LIMIT).endsWith("eee last\n");
  }

  /**
   * A cancelled job's tool (found by its job folder) is stopped at once, well within 2 s, even one that ignores
   * SIGTERM; a tool of another job runs on.
   */
  @Test
  void aCancelledJobsToolIsStoppedWithinASecondAndNoOtherJobs() throws Exception {
    Path jobDir = Files.createDirectory(dir.resolve("job-1111-abc"));
    Path otherDir = Files.createDirectory(dir.resolve("job-2222-abc"));
    java.util.concurrent.CompletableFuture<Result> cancelled = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> runIn(jobDir, "sh", "-c", "trap '' TERM; exec sleep 60"));
    java.util.concurrent.CompletableFuture<Result> other = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> runIn(otherDir, "sh", "-c", "sleep 3; exit 5"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> runner.stopJob("job-1111-"));

    long stopped = System.nanoTime();
    Result run = cancelled.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(2));
    assertThat(run.getExitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(run.timedOut()).isFalse();
    assertThat(other.get(10, java.util.concurrent.TimeUnit.SECONDS).getExitValue()).isEqualTo(5);
    assertThat(runner.stopJob("job-1111-")).as("nothing runs there any more").isFalse();
  }

  /** A run's standard input is fed from its stream, and closed at the stream's end. */
  @Test
  void aRunReadsItsInputToTheEnd() throws Exception {
    ToolOutcome outcome = runner.run(new ToolRun("sh", List.of("-c", "cat"), dir, Duration.ofSeconds(30), null,
        new java.io.ByteArrayInputStream("the source as it arrived".getBytes(StandardCharsets.UTF_8))));

    assertThat(outcome.exitValue()).isZero();
    assertThat(outcome.stdout()).isEqualTo("the source as it arrived");
  }

  /**
   * An input that fails (the download broke off) kills the tool: closing its input instead would tell it the
   * source ended there, and ffmpeg would make a short MP3 of it and exit 0.
   */
  @Test
  void aRunWhoseInputFailsIsKilledNotToldTheInputEnded() throws Exception {
    InputStream breaksOff = new BrokenOffStream(1000, new IOException("Connection reset"));

    ToolOutcome outcome = runner.run(new ToolRun("sh", List.of("-c", "cat > /dev/null; exit 0"), dir,
        Duration.ofSeconds(30), null, breaksOff));

    assertThat(outcome.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
  }

  /** A run's standard output reaches its line listener as it comes, line by line (ffmpeg's -progress). */
  @Test
  void aRunsOutputLinesReachItsListener() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    ToolRun run = new ToolRun("sh", List.of("-c", "echo out_time_us=1; echo progress=end"), dir,
        Duration.ofSeconds(30), lines::add);
    org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext();
    org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
    exchange.getIn().setBody(run);
    ExecCommand command = runner.readInput(exchange, camel.getEndpoint("exec:sh", ExecEndpoint.class));
    runner.execute(command);
    assertThat(lines).containsExactly("out_time_us=1", "progress=end");
  }

  private Result runIn(Path folder, String executable, String... args) {
    try {
      ExecCommand command = new ExecCommand(executable, List.of(args), folder.toString(), 60_000L, Set.of(),
          null, null, false, LoggingLevel.OFF);
      return (Result) runner.execute(command);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Result run(Duration timeout, String executable, String... args) throws IOException {
    ExecCommand command = new ExecCommand(executable, List.of(args), dir.toString(), timeout.toMillis(), Set.of(),
        null, null, false, LoggingLevel.OFF);
    return (Result) runner.execute(command);
  }

  static String text(InputStream in) throws IOException {
    return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
