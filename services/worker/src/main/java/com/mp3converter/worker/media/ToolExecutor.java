package com.mp3converter.worker.media;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecEndpoint;
import org.apache.camel.component.exec.ExecResult;

/**
 * Runs ffprobe and ffmpeg for camel-exec (the routes name it: {@code commandExecutor=#toolExecutor}): the
 * executable and its argument list, no shell, in the job's folder, with no standard input.
 *
 * <ul>
 *   <li><b>An empty environment.</b> The service's own holds the S3 and RabbitMQ credentials; a tool gets only
 *       {@code PATH} and a plain locale ({@link #toolEnvironment}).
 *   <li><b>A timeout that really ends the run.</b> At the timeout the tool gets SIGTERM (ffmpeg then closes its
 *       output and exits), and SIGKILL after the grace period if it is still there, so a tool that ignores
 *       SIGTERM cannot hold the job.
 *   <li><b>Bounded output.</b> Of stdout the first {@link #STDOUT_LIMIT} bytes are kept (ffprobe's JSON; a
 *       description cut short no longer parses and is refused), of stderr the last {@link #STDERR_LIMIT} (where
 *       ffmpeg says what went wrong); the rest is read and dropped, so a tool never blocks on a full pipe.
 *   <li><b>No shutdown-hook process destroyer</b> (camel-exec's default executor has one): it kills every running
 *       tool the moment the JVM receives SIGTERM, in parallel with Spring's own shutdown, so the conversion that
 *       graceful shutdown is waiting for would die at once and end as a failed job. Here the running conversion
 *       finishes within the shutdown grace period (WorkerConfiguration) and is acknowledged; a worker that is
 *       killed outright takes its tools with it (its container goes), and the job is redelivered.
 * </ul>
 */
public final class ToolExecutor implements ExecCommandExecutor {
  static final int STDOUT_LIMIT = 1024 * 1024;
  static final int STDERR_LIMIT = 64 * 1024;

  private final Duration killGrace;
  private final Map<String, String> environment;

  /** @param killGrace how long a tool has after SIGTERM before it gets SIGKILL */
  public ToolExecutor(Duration killGrace) {
    this(killGrace, toolEnvironment(System.getenv()));
  }

  ToolExecutor(Duration killGrace, Map<String, String> environment) {
    this.killGrace = killGrace;
    this.environment = Map.copyOf(environment);
  }

  /** What a tool may see of the service's environment: the search path, and a locale that is always there. */
  static Map<String, String> toolEnvironment(Map<String, String> service) {
    return Map.of("PATH", service.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"), "LC_ALL", "C");
  }

  @Override
  public ExecResult execute(ExecCommand command) throws IOException {
    List<String> commandLine = new ArrayList<>(command.getArgs().size() + 1);
    commandLine.add(command.getExecutable());
    commandLine.addAll(command.getArgs());
    ProcessBuilder builder = new ProcessBuilder(commandLine);
    builder.environment().clear();
    builder.environment().putAll(environment);
    if (command.getWorkingDir() != null) {
      builder.directory(new File(command.getWorkingDir()).getAbsoluteFile());
    }
    Process process = builder.start();
    process.getOutputStream().close();
    KeptOutput stdout = KeptOutput.head(STDOUT_LIMIT);
    KeptOutput stderr = KeptOutput.tail(STDERR_LIMIT);
    Thread stdoutPump = stdout.drain(process.getInputStream(), "tool-stdout");
    Thread stderrPump = stderr.drain(process.getErrorStream(), "tool-stderr");
    boolean timedOut = false;
    try {
      if (command.getTimeout() == ExecEndpoint.NO_TIMEOUT) {
        process.waitFor();
      } else if (!process.waitFor(command.getTimeout(), TimeUnit.MILLISECONDS)) {
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
      process.getInputStream().close();
      process.getErrorStream().close();
    }
    return new ToolRun(command, stdout.stream(), stderr.stream(), process.exitValue(), timedOut);
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

  /** camel-exec's result (the message body after the exec step), and whether the run was stopped at its timeout. */
  public static final class ToolRun extends ExecResult {
    private static final long serialVersionUID = 1L;

    private final boolean timedOut;

    ToolRun(ExecCommand command, InputStream stdout, InputStream stderr, int exitValue, boolean timedOut) {
      super(command, stdout, stderr, exitValue);
      this.timedOut = timedOut;
    }

    public boolean timedOut() {
      return timedOut;
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

    Thread drain(InputStream from, String name) {
      Thread pump = new Thread(() -> {
        byte[] chunk = new byte[8192];
        try (from) {
          for (int n = from.read(chunk); n >= 0; n = from.read(chunk)) {
            add(chunk, n);
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
