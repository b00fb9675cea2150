package com.mp3converter.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Audio made by the test itself: a PCM WAV of a sine tone, exactly as long as asked, and a FLAC of one with tags
 * (and, if asked, a cover picture) written by the real ffmpeg.
 */
public final class AudioFixtures {
  private AudioFixtures() {}

  /**
   * A FLAC of a sine tone with {@code tags} as its Vorbis comments (keys as given, values as given: they reach ffmpeg
   * as arguments, never through a shell) and, when {@code cover} is true, a 64x64 PNG cover as an attached picture.
   */
  public static Path writeTaggedFlac(Path file, double seconds, Map<String, String> tags, boolean cover)
      throws IOException, InterruptedException {
    Path folder = Files.createTempDirectory("tagged-fixture-");
    try {
      Path wav = writeSineWav(folder.resolve("tone.wav"), seconds);
      List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", wav.toString()));
      if (cover) {
        Path png = folder.resolve("cover.png");
        run(List.of("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x64",
            "-frames:v", "1", "-y", png.toString()));
        command.addAll(List.of("-i", png.toString(), "-map", "0:a", "-map", "1:v", "-c:v", "copy",
            "-disposition:v", "attached_pic"));
      }
      tags.forEach((key, value) -> command.addAll(List.of("-metadata", key + "=" + value)));
      command.addAll(List.of("-c:a", "flac", "-f", "flac", "-y", file.toString()));
      run(command);
      return file;
    } finally {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(folder);
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ffmpeg failed: " + out);
    }
  }

  public static Path writeSineWav(Path file, double seconds) throws IOException {
    return writeSineWav(file, seconds, 44_100, 2, 440.0);
  }

  private static Path writeSineWav(Path file, double seconds, int sampleRate, int channels, double frequency)
      throws IOException {
    long frames = Math.round(seconds * sampleRate);
    long dataBytes = frames * channels * 2;
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt((int) (36 + dataBytes)).put("WAVE".getBytes());
    header.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(sampleRate).putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
    header.put("data".getBytes()).putInt((int) dataBytes);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(header.array());
      byte[] frame = new byte[channels * 2];
      for (long i = 0; i < frames; i++) {
        short sample = (short) (Math.sin(2 * Math.PI * frequency * i / sampleRate) * 0.3 * Short.MAX_VALUE);
        for (int c = 0; c < channels; c++) {
          frame[c * 2] = (byte) sample;
          frame[c * 2 + 1] = (byte) (sample >> 8);
        }
        out.write(frame);
      }
    }
    return file;
  }
}
