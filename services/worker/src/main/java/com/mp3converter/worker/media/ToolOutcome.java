package com.mp3converter.worker.media;

import java.time.Duration;

/**
 * How a {@link ToolRun} ended, the body the exec endpoint answers with: the exit value, whether the run was
 * stopped at its time limit, the start of its standard output (ffprobe's JSON, at most ToolRunner's limit) and the
 * end of its diagnostics as one line that is safe to log (ToolRunner.forLog: no line breaks or control
 * characters), and how long the tool ran (the encode time in the metrics).
 */
public record ToolOutcome(int exitValue, boolean timedOut, String stdout, String stderr, Duration elapsed) {
  public boolean succeeded() {
    return exitValue == 0 && !timedOut;
  }
}
