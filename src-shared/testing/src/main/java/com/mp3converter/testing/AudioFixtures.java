package com.mp3converter.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Audio made by the test itself: a PCM WAV of a sine tone, exactly as long as asked. */
public final class AudioFixtures {
  private AudioFixtures() {}

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
