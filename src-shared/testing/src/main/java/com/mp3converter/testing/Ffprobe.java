package com.mp3converter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Asks the real ffprobe what a file is, so tests judge outputs the way a player would. */
public final class Ffprobe {
  private Ffprobe() {}

  public static double durationSeconds(Path file) throws IOException, InterruptedException {
    return Double.parseDouble(run(file, "format=duration").trim());
  }

  /** ffprobe's format name, e.g. {@code mp3} or {@code wav}. */
  public static String formatName(Path file) throws IOException, InterruptedException {
    return run(file, "format=format_name").trim();
  }

  /** ffprobe's JSON about the file's container (with its tags) and streams (with their dispositions). */
  public static String json(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(
            "ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", file.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ffprobe failed on " + file);
    }
    return out;
  }

  private static String run(Path file, String entries) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(
            "ffprobe", "-v", "error", "-show_entries", entries, "-of", "default=noprint_wrappers=1:nokey=1",
            file.toString()))
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ffprobe failed on " + file + ": " + out);
    }
    return out;
  }
}
