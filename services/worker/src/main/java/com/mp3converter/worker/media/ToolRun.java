package com.mp3converter.worker.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of ffprobe or ffmpeg, as the body sent to the exec endpoint ({@link ToolRunner} is its binding): the
 * executable and its argument list (never a shell, never split on whitespace), the job's folder as working
 * directory, and the wall-clock limit after which the process is stopped (SIGTERM, then SIGKILL after
 * mp3.ffmpeg.kill-grace). No standard input.
 */
public record ToolRun(
    String executable, List<String> arguments, Path workingDir, Duration timeout, Consumer<String> stdoutLines) {
  /** {@code stdoutLines}: gets each line of the tool's standard output as it comes (ffmpeg's progress), or null. */
  public ToolRun {
    arguments = List.copyOf(arguments);
  }

  public ToolRun(String executable, List<String> arguments, Path workingDir, Duration timeout) {
    this(executable, arguments, workingDir, timeout, null);
  }
}
