package com.mp3converter.worker.media;

/**
 * How a {@link ToolRun} ended, the body the exec endpoint answers with: the exit value, whether the run was
 * killed at its time limit, its standard output (ffprobe's JSON) and the start of its diagnostics.
 */
public record ToolOutcome(int exitValue, boolean timedOut, String stdout, String stderr) {
  public boolean succeeded() {
    return exitValue == 0 && !timedOut;
  }
}
