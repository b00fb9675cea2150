package com.mp3converter.worker.media;

import com.mp3converter.worker.job.JobHeaders;
import com.mp3converter.worker.job.JobKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecResult;

/**
 * Runs of ffprobe and ffmpeg through camel-exec: the executable and an argument list (never a shell, never
 * split on whitespace), a wall-clock timeout after which the process is killed, the job's folder as working
 * directory, and no stdin. camel-exec does not fail on a non-zero exit: {@link #outcome} reports it.
 */
final class ExecRuns {
  /** ffmpeg's diagnostics are kept for the log up to this many characters. */
  private static final int MAX_DIAGNOSTICS = 2000;
  private static final int MAX_STDOUT = 4 * 1024 * 1024;

  record Outcome(int exitValue, boolean timedOut, String stdout, String stderr) {
    boolean succeeded() {
      return exitValue == 0 && !timedOut;
    }
  }

  private ExecRuns() {}

  static void prepare(Exchange exchange, String executable, List<String> arguments, Duration timeout) {
    Message message = exchange.getIn();
    JobHeaders.clear(message);
    // camel-exec would feed a message body to the process's standard input.
    message.setBody(null);
    message.setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, executable);
    message.setHeader(ExecBinding.EXEC_COMMAND_ARGS, List.copyOf(arguments));
    message.setHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, timeout.toMillis());
    message.setHeader(ExecBinding.EXEC_COMMAND_WORKING_DIR, exchange.getProperty(JobKeys.JOB_DIR, Path.class).toString());
    exchange.setProperty(JobKeys.EXEC_TIMEOUT, timeout.toMillis());
    exchange.setProperty(JobKeys.EXEC_STARTED, System.nanoTime());
  }

  static Outcome outcome(Exchange exchange) throws IOException {
    Message message = exchange.getMessage();
    ExecResult result = message.getBody(ExecResult.class);
    if (result == null) {
      throw new IllegalStateException("The command left no result.");
    }
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(
        System.nanoTime() - exchange.getProperty(JobKeys.EXEC_STARTED, Long.class));
    // The watchdog kills the process at the timeout; it then exits non-zero (ffmpeg: 255 after SIGTERM).
    boolean timedOut = result.getExitValue() != 0
        && elapsedMillis >= exchange.getProperty(JobKeys.EXEC_TIMEOUT, Long.class);
    Outcome outcome = new Outcome(
        result.getExitValue(), timedOut, text(result.getStdout(), MAX_STDOUT), text(result.getStderr(), MAX_DIAGNOSTICS));
    JobHeaders.clear(message);
    message.setBody(null);
    return outcome;
  }

  private static String text(InputStream in, int max) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readNBytes(max), StandardCharsets.UTF_8);
    }
  }
}
