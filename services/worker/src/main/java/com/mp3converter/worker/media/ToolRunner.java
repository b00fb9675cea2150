package com.mp3converter.worker.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecEndpoint;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.component.exec.impl.DefaultExecCommandExecutor;
import org.apache.commons.exec.DefaultExecutor;

/**
 * How the worker's routes run ffprobe and ffmpeg through camel-exec; the routes name it as both the exec
 * endpoint's {@code binding} and its {@code commandExecutor}.
 *
 * <p>As binding it takes the command from a {@link ToolRun} body and answers with a {@link ToolOutcome} body,
 * and reads no header at all: nothing that arrived with a job message can name an executable, an argument or a
 * folder. camel-exec does not fail on a non-zero exit; the outcome reports it, and whether the run was killed at
 * its time limit.
 *
 * <p>As executor it runs the command exactly as camel-exec does, timeout watchdog included, but without its
 * shutdown-hook process destroyer. That destroyer kills every running tool the moment the JVM receives SIGTERM,
 * in parallel with Spring's own shutdown, so the conversion that graceful shutdown is waiting for would die at
 * once and end as a failed job. Without it the running conversion finishes within the shutdown grace period
 * (WorkerConfiguration) and is acknowledged; a worker that is killed outright takes its tools with it (its
 * container goes), and the job is redelivered.
 */
public final class ToolRunner extends DefaultExecCommandExecutor implements ExecBinding {
  /** ffmpeg's diagnostics are kept for the log up to this many bytes. */
  private static final int MAX_DIAGNOSTICS = 2000;
  private static final int MAX_STDOUT = 4 * 1024 * 1024;

  @Override
  public ExecCommand readInput(Exchange exchange, ExecEndpoint endpoint) {
    ToolRun run;
    try {
      run = exchange.getIn().getMandatoryBody(ToolRun.class);
    } catch (InvalidPayloadException e) {
      throw new RuntimeCamelException("The exec endpoint runs a ToolRun body only", e);
    }
    return new ExecCommand(run.executable(), run.arguments(), run.workingDir().toString(), run.timeout().toMillis(),
        Set.of(), null, null, false, endpoint.getCommandLogLevel());
  }

  @Override
  public void writeOutput(Exchange exchange, ExecResult result) {
    boolean timedOut = result instanceof TimedResult timed
        // The watchdog kills the process at the timeout; it then exits non-zero (ffmpeg: 255 after SIGTERM).
        && result.getExitValue() != 0 && timed.elapsedMillis >= result.getCommand().getTimeout();
    exchange.getMessage().setBody(new ToolOutcome(result.getExitValue(), timedOut,
        text(result.getStdout(), MAX_STDOUT), text(result.getStderr(), MAX_DIAGNOSTICS)));
  }

  @Override
  public ExecResult execute(ExecCommand command) {
    long started = System.nanoTime();
    ExecResult result = super.execute(command);
    return new TimedResult(result, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @Override
  protected DefaultExecutor prepareDefaultExecutor(ExecCommand command) {
    DefaultExecutor executor = super.prepareDefaultExecutor(command);
    executor.setProcessDestroyer(null);
    return executor;
  }

  private static String text(InputStream in, int max) {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readNBytes(max), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** camel-exec's result and how long the run took. */
  private static final class TimedResult extends ExecResult {
    private final long elapsedMillis;

    TimedResult(ExecResult result, long elapsedMillis) {
      super(result.getCommand(), result.getStdout(), result.getStderr(), result.getExitValue());
      this.elapsedMillis = elapsedMillis;
    }
  }
}
