package com.mp3converter.worker.media;

import com.mp3converter.worker.job.JobHeaders;
import com.mp3converter.worker.job.JobKeys;
import com.mp3converter.worker.media.ToolExecutor.ToolRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.exec.ExecBinding;

/**
 * Runs of ffprobe and ffmpeg through camel-exec and the {@link ToolExecutor}: the executable and an argument
 * list (never a shell, never split on whitespace), a wall-clock timeout after which the process is stopped, the
 * job's folder as working directory. camel-exec does not fail on a non-zero exit: {@link #outcome} reports it.
 */
final class ExecRuns {
  /** ffmpeg's diagnostics are kept for the log up to this many characters (the end, where the error is). */
  private static final int MAX_DIAGNOSTICS = 2000;

  /**
   * @param stdout what the tool printed (at most ToolExecutor's head of it)
   * @param stderr its diagnostics as one log-safe line: no line breaks or control characters (see {@link #forLog})
   */
  record Outcome(int exitValue, boolean timedOut, String stdout, String stderr) {
    boolean succeeded() {
      return exitValue == 0 && !timedOut;
    }
  }

  private ExecRuns() {}

  static void prepare(Exchange exchange, String executable, List<String> arguments, Duration timeout) {
    Message message = exchange.getIn();
    JobHeaders.clear(message);
    // Nothing for the tool's standard input (the ToolExecutor closes it anyway).
    message.setBody(null);
    message.setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, executable);
    message.setHeader(ExecBinding.EXEC_COMMAND_ARGS, List.copyOf(arguments));
    message.setHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, timeout.toMillis());
    message.setHeader(ExecBinding.EXEC_COMMAND_WORKING_DIR, exchange.getProperty(JobKeys.JOB_DIR, Path.class).toString());
  }

  static Outcome outcome(Exchange exchange) throws IOException {
    Message message = exchange.getMessage();
    if (!(message.getBody() instanceof ToolRun run)) {
      throw new IllegalStateException("The command was not run by the ToolExecutor.");
    }
    Outcome outcome = new Outcome(run.getExitValue(), run.timedOut(), text(run.getStdout()), forLog(text(run.getStderr())));
    JobHeaders.clear(message);
    message.setBody(null);
    return outcome;
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

  private static String text(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
