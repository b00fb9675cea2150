package com.mp3converter.worker.media;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of ffprobe or ffmpeg, as the body sent to the exec endpoint ({@link ToolRunner} is its binding): the
 * executable and its argument list (never a shell, never split on whitespace), the job's folder as working
 * directory, and the wall-clock limit after which the process is stopped (SIGTERM, then SIGKILL after
 * mp3.ffmpeg.kill-grace). Standard input is empty, or the source as it arrives ({@code stdin}).
 *
 * @param stdoutLines gets each line of the tool's standard output as it comes (ffmpeg's progress), or null
 * @param stdin what the tool reads on its standard input, or null for none; a read that fails stops the tool
 *     instead of ending its input ({@link ToolRunner})
 */
public record ToolRun(String executable, List<String> arguments, Path workingDir, Duration timeout,
    Consumer<String> stdoutLines, InputStream stdin) {
  public ToolRun {
    arguments = List.copyOf(arguments);
  }

  public ToolRun(String executable, List<String> arguments, Path workingDir, Duration timeout,
      Consumer<String> stdoutLines) {
    this(executable, arguments, workingDir, timeout, stdoutLines, null);
  }

  public ToolRun(String executable, List<String> arguments, Path workingDir, Duration timeout) {
    this(executable, arguments, workingDir, timeout, null, null);
  }

  /** The same run with another listener on its standard output. */
  public ToolRun withStdoutLines(Consumer<String> lines) {
    return new ToolRun(executable, arguments, workingDir, timeout, lines, stdin);
  }
}
