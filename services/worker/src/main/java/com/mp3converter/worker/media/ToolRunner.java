package com.mp3converter.worker.media;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecEndpoint;
import org.apache.camel.component.exec.ExecResult;

/**
 * How the worker's routes run ffprobe and ffmpeg through camel-exec; the routes name it as both the exec
 * endpoint's {@code binding} and its {@code commandExecutor}.
 *
 * <p>As binding it takes the command from a {@link ToolRun} body and answers with a {@link ToolOutcome} body,
 * and reads no header at all: nothing that arrived with a job message can name an executable, an argument or a
 * folder. camel-exec does not fail on a non-zero exit; the outcome reports it, and whether the run was stopped at
 * its time limit.
 *
 * <p>As executor it starts the executable with its argument list, no shell, in the job's folder, with no
 * standard input or the run's own ({@link ToolRun#stdin}: the source as it arrives), and:
 *
 * <ul>
 *   <li><b>An empty environment.</b> The service's own holds the S3 and RabbitMQ credentials; a tool gets only
 *       {@code PATH} and a plain locale ({@link #toolEnvironment}).
 *   <li><b>A timeout that really ends the run.</b> At the timeout the tool gets SIGTERM (ffmpeg then closes its
 *       output and exits), and SIGKILL after the grace period (mp3.ffmpeg.kill-grace) if it is still there, so a
 *       tool that ignores SIGTERM cannot hold the job.
 *   <li><b>Bounded output.</b> Of stdout the first {@link #STDOUT_LIMIT} bytes are kept (ffprobe's JSON; a
 *       description cut short no longer parses and is refused), of stderr the last {@link #STDERR_LIMIT} (where
 *       ffmpeg says what went wrong); the rest is read and dropped, so a tool never blocks on a full pipe. The
 *       outcome carries the diagnostics as one log-safe line ({@link #forLog}).
 *   <li><b>No shutdown-hook process destroyer</b> (camel-exec's default executor has one): it kills every running
 *       tool the moment the JVM receives SIGTERM, in parallel with Spring's own shutdown, so the conversion that
 *       graceful shutdown is waiting for would die at once and end as a failed job. Here the running conversion
 *       finishes within the shutdown grace period (WorkerConfiguration) and is acknowledged; a worker that is
 *       killed outright takes its tools with it (its container goes), and the job is redelivered.
 *   <li><b>Cancellation.</b> A job the user cancelled has its running tool stopped at once ({@link #stopJob}:
 *       SIGTERM, SIGKILL after at most a second), found by the job's folder, its working directory.
 *   <li><b>Live output.</b> A run that asks for it ({@link ToolRun#stdoutLines}) gets each line of standard
 *       output as it comes (ffmpeg's {@code -progress}), besides what is kept.
 *   <li><b>Input that cannot end early.</b> A run's standard input is pumped from its stream; when that stream
 *       fails (the source's download failed, or it was refused) the tool is killed, so it never takes a cut-off
 *       input for a whole one. A tool that stops reading (it exited) just ends the pump.
 * </ul>
 *
 * <p>{@link #run} runs a {@link ToolRun} the same way without a route (the check of a source that arrived while
 * ffmpeg already read it, {@link EarlyStart}).
 */
public final class ToolRunner implements ExecBinding, ExecCommandExecutor {
  static final int STDOUT_LIMIT = 1024 * 1024;
  static final int STDERR_LIMIT = 64 * 1024;
  /** The diagnostics in the outcome (and so in the log) keep this many characters of their end. */
  static final int MAX_DIAGNOSTICS = 2000;
  /** How long a cancelled tool has after SIGTERM (at most; the configured grace if shorter). */
  static final Duration CANCEL_GRACE = Duration.ofSeconds(1);

  private final Duration killGrace;
  private final Map<String, String> environment;
  /** The running tools and their working directories (a folder may have two: ffmpeg and the check's ffprobe). */
  private final Map<Process, Path> running = new ConcurrentHashMap<>();
  /** Line listeners of the runs about to start, by working directory (readInput to execute). */
  private final Map<String, Consumer<String>> lineListeners = new ConcurrentHashMap<>();

  /** @param killGrace how long a tool has after SIGTERM before it gets SIGKILL */
  public ToolRunner(Duration killGrace) {
    this(killGrace, toolEnvironment(System.getenv()));
  }

  ToolRunner(Duration killGrace, Map<String, String> environment) {
    this.killGrace = killGrace;
    this.environment = Map.copyOf(environment);
  }

  /** What a tool may see of the service's environment: the search path, and a locale that is always there. */
  static Map<String, String> toolEnvironment(Map<String, String> service) {
    return Map.of("PATH", service.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"), "LC_ALL", "C");
  }

  // --- binding -----------------------------------------------------------------------------------------------

  @Override
  public ExecCommand readInput(Exchange exchange, ExecEndpoint endpoint) {
    ToolRun run;
    try {
      run = exchange.getIn().getMandatoryBody(ToolRun.class);
    } catch (InvalidPayloadException e) {
      throw new RuntimeCamelException("The exec endpoint runs a ToolRun body only", e);
    }
    if (run.stdoutLines() != null) {
      lineListeners.put(run.workingDir().toString(), run.stdoutLines());
    }
    return command(run, endpoint.getCommandLogLevel());
  }

  private static ExecCommand command(ToolRun run, LoggingLevel logLevel) {
    return new ExecCommand(run.executable(), run.arguments(), run.workingDir().toString(), run.timeout().toMillis(),
        Set.of(), run.stdin(), null, false, logLevel);
  }

  @Override
  public void writeOutput(Exchange exchange, ExecResult result) {
    if (!(result instanceof Result run)) {
      throw new IllegalStateException("The command was not run by the ToolRunner (commandExecutor=#toolRunner).");
    }
    exchange.getMessage().setBody(outcome(run));
  }

  private static ToolOutcome outcome(Result run) {
    return new ToolOutcome(run.getExitValue(), run.timedOut(), text(run.getStdout()), forLog(text(run.getStderr())),
        run.elapsed());
  }

  /** Runs a tool outside a route, as the exec endpoint would, and answers with its outcome. */
  public ToolOutcome run(ToolRun run) throws IOException {
    return outcome(execute(command(run, LoggingLevel.OFF), run.stdoutLines()));
  }

  /**
   * A tool's diagnostics as one line that is safe to log: they can quote the file's own bytes (tags, names), so
   * line breaks become " | " and every other control or invisible formatting character (escape sequences,
   * bidirectional overrides) is written as {@code \\uXXXX}; a forged log entry stays inside this one. Long text
   * keeps its end.
   */
  static String forLog(String text) {
    StringBuilder line = new StringBuilder(Math.min(text.length(), MAX_DIAGNOSTICS + 16));
    boolean lineBreak = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        lineBreak = true;
        continue;
      }
      if (lineBreak && !line.isEmpty()) {
        line.append(" | ");
      }
      lineBreak = false;
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        line.append(String.format("\\u%04x", (int) c));
      } else {
        line.append(c);
      }
    }
    String oneLine = line.toString().strip();
    return oneLine.length() <= MAX_DIAGNOSTICS
        ? oneLine
        : "..." + oneLine.substring(oneLine.length() - MAX_DIAGNOSTICS);
  }

  private static String text(InputStream in) {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- executor ----------------------------------------------------------------------------------------------

  @Override
  public ExecResult execute(ExecCommand command) throws IOException {
    return execute(command,
        command.getWorkingDir() == null ? null : lineListeners.remove(command.getWorkingDir()));
  }

  private Result execute(ExecCommand command, Consumer<String> lines) throws IOException {
    List<String> commandLine = new ArrayList<>(command.getArgs().size() + 1);
    commandLine.add(command.getExecutable());
    commandLine.addAll(command.getArgs());
    ProcessBuilder builder = new ProcessBuilder(commandLine);
    builder.environment().clear();
    builder.environment().putAll(environment);
    if (command.getWorkingDir() != null) {
      builder.directory(new File(command.getWorkingDir()).getAbsoluteFile());
    }
    long timeoutMillis = command.getTimeout();
    InputStream stdin = command.getInput();
    long started = System.nanoTime();
    Process process = builder.start();
    if (builder.directory() != null) {
      running.put(process, builder.directory().toPath());
    }
    Thread stdinPump = null;
    if (stdin == null) {
      process.getOutputStream().close();
    } else {
      stdinPump = pumpInput(stdin, process);
    }
    KeptOutput stdout = KeptOutput.head(STDOUT_LIMIT);
    KeptOutput stderr = KeptOutput.tail(STDERR_LIMIT);
    Thread stdoutPump = stdout.drain(process.getInputStream(), "tool-stdout", lines);
    Thread stderrPump = stderr.drain(process.getErrorStream(), "tool-stderr", null);
    boolean timedOut = false;
    try {
      if (timeoutMillis == ExecEndpoint.NO_TIMEOUT) {
        process.waitFor();
      } else if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        timedOut = true;
        stop(process);
      }
      // The pipes end with the process; only something it left running could keep them open, so the wait is
      // bounded (join(0) would wait for ever) and the pipes are closed after it.
      stdoutPump.join(killGrace.toMillis() + 1);
      stderrPump.join(killGrace.toMillis() + 1);
    } catch (InterruptedException e) {
      // The worker is going down past its grace period: the job is redone elsewhere, the tool must not stay.
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while " + command.getExecutable() + " ran");
    } finally {
      running.remove(process);
      process.getInputStream().close();
      process.getErrorStream().close();
      if (stdinPump != null) {
        // A pump waiting for more of the source lets go: its stream is closed under it.
        closeQuietly(stdin);
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    return new Result(command, stdout.stream(), stderr.stream(), process.exitValue(), timedOut, elapsed);
  }

  /**
   * Feeds {@code input} to the tool's standard input, closing it at the input's end. If reading the input fails,
   * the tool is killed instead: closing its input would tell it the input ended there.
   */
  private static Thread pumpInput(InputStream input, Process process) {
    Thread pump = new Thread(() -> {
      byte[] chunk = new byte[256 * 1024];
      try (var toTool = process.getOutputStream()) {
        while (true) {
          int n;
          try {
            n = input.read(chunk);
          } catch (IOException inputFailed) {
            process.destroyForcibly();
            return;
          }
          if (n < 0) {
            return;
          }
          toTool.write(chunk, 0, n);
        }
      } catch (IOException toolStoppedReading) {
        // It exited (or closed its input): its exit tells the rest.
      } finally {
        closeQuietly(input);
      }
    }, "tool-stdin");
    pump.setDaemon(true);
    pump.start();
    return pump;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // Nothing left to read from it.
    }
  }

  /**
   * Stops the tools running in a folder whose name starts with {@code folderPrefix} (a cancelled job's): SIGTERM,
   * then SIGKILL after at most {@link #CANCEL_GRACE}. Returns at once; the run ends as a non-zero exit, and the
   * route sees the cancellation.
   *
   * @return whether a tool was running there
   */
  public boolean stopJob(String folderPrefix) {
    boolean found = false;
    for (Map.Entry<Process, Path> entry : running.entrySet()) {
      Path name = entry.getValue().getFileName();
      if (name != null && name.toString().startsWith(folderPrefix)) {
        found = true;
        Process process = entry.getKey();
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        long grace = Math.min(killGrace.toMillis(), CANCEL_GRACE.toMillis());
        process.onExit().orTimeout(grace, TimeUnit.MILLISECONDS).exceptionally(timedOut -> {
          process.destroyForcibly();
          return process;
        });
        descendants.forEach(ProcessHandle::destroyForcibly);
      }
    }
    return found;
  }

  /** SIGTERM, then SIGKILL after the grace period; returns once the process is gone. */
  private void stop(Process process) throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(killGrace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * camel-exec's result of a run (what {@link #writeOutput} gets), whether it was stopped at its timeout, and how
   * long it ran.
   */
  static final class Result extends ExecResult {
    private static final long serialVersionUID = 1L;

    private final boolean timedOut;
    private final Duration elapsed;

    Result(ExecCommand command, InputStream stdout, InputStream stderr, int exitValue, boolean timedOut,
        Duration elapsed) {
      super(command, stdout, stderr, exitValue);
      this.timedOut = timedOut;
      this.elapsed = elapsed;
    }

    boolean timedOut() {
      return timedOut;
    }

    Duration elapsed() {
      return elapsed;
    }
  }

  /** Cuts a byte stream into lines for a listener; a line longer than {@link #MAX_LINE} is dropped. */
  private static final class LineSplitter {
    static final int MAX_LINE = 4096;
    private final Consumer<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean overlong;

    LineSplitter(Consumer<String> lines) {
      this.lines = lines;
    }

    void accept(byte[] chunk, int length) {
      for (int i = 0; i < length; i++) {
        byte b = chunk[i];
        if (b == '\n') {
          if (!overlong) {
            try {
              lines.accept(line.toString(StandardCharsets.UTF_8).strip());
            } catch (RuntimeException listenerFailed) {
              // The listener's trouble (a progress event not sent) never stops the tool's output being read.
            }
          }
          line.reset();
          overlong = false;
        } else if (line.size() < MAX_LINE) {
          line.write(b);
        } else {
          overlong = true;
        }
      }
    }
  }

  /** The part of a stream that is kept: its first or its last {@code limit} bytes. */
  private static final class KeptOutput {
    private final byte[] kept;
    private final boolean keepTail;
    private long total;

    private KeptOutput(int limit, boolean keepTail) {
      this.kept = new byte[limit];
      this.keepTail = keepTail;
    }

    static KeptOutput head(int limit) {
      return new KeptOutput(limit, false);
    }

    static KeptOutput tail(int limit) {
      return new KeptOutput(limit, true);
    }

    /** @param lines gets each complete line as it arrives (UTF-8; a listener's failure never stops the pump) */
    Thread drain(InputStream from, String name, Consumer<String> lines) {
      Thread pump = new Thread(() -> {
        byte[] chunk = new byte[8192];
        LineSplitter splitter = lines == null ? null : new LineSplitter(lines);
        try (from) {
          for (int n = from.read(chunk); n >= 0; n = from.read(chunk)) {
            add(chunk, n);
            if (splitter != null) {
              splitter.accept(chunk, n);
            }
          }
        } catch (IOException closed) {
          // The process is gone and its pipe with it.
        }
      }, name);
      pump.setDaemon(true);
      pump.start();
      return pump;
    }

    private synchronized void add(byte[] chunk, int length) {
      if (!keepTail && total >= kept.length) {
        total += length;
        return;
      }
      for (int i = 0; i < length; i++) {
        if (keepTail) {
          kept[(int) (total % kept.length)] = chunk[i];
        } else if (total < kept.length) {
          kept[(int) total] = chunk[i];
        }
        total++;
      }
    }

    /** What was kept, in order; null when the stream was empty (as camel-exec's own results have it). */
    synchronized InputStream stream() {
      if (total == 0) {
        return null;
      }
      int size = (int) Math.min(total, kept.length);
      byte[] ordered = new byte[size];
      int start = keepTail && total > kept.length ? (int) (total % kept.length) : 0;
      for (int i = 0; i < size; i++) {
        ordered[i] = kept[(start + i) % kept.length];
      }
      return new ByteArrayInputStream(ordered);
    }
  }
}
