package com.mp3converter.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file that passes every check before the conversion and fails the conversion every time: a WAV whose header
 * announces MP3 frames (format tag 0x0055, which ffprobe reports as an audio stream of codec mp3 with a length)
 * but whose data holds no MP3 frame at all, so ffmpeg decodes nothing and exits with "Empty output". It is the
 * same bytes on every attempt, which is what makes a job poison rather than unlucky.
 */
public final class PoisonAudio {
  private PoisonAudio() {}

  public static Path writeUndecodableWav(Path file) throws IOException {
    int dataBytes = 200_000;
    ByteBuffer fmt = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    // WAVEFORMATEX: MPEG layer 3, stereo, 44.1 kHz, 16000 B/s (128 kbit/s), block align 1, 0 bits per sample
    fmt.putShort((short) 0x0055).putShort((short) 2).putInt(44_100).putInt(16_000).putShort((short) 1)
        .putShort((short) 0);
    // MPEGLAYER3WAVEFORMAT extension: 12 bytes
    fmt.putShort((short) 12).putShort((short) 1).putInt(2).putShort((short) 417).putShort((short) 1)
        .putShort((short) 1393);
    ByteBuffer header = ByteBuffer.allocate(12 + 8 + fmt.capacity() + 8).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes()).putInt(4 + 8 + fmt.capacity() + 8 + dataBytes).put("WAVE".getBytes());
    header.put("fmt ".getBytes()).putInt(fmt.capacity()).put(fmt.array());
    header.put("data".getBytes()).putInt(dataBytes);
    byte[] bytes = new byte[header.capacity() + dataBytes];
    System.arraycopy(header.array(), 0, bytes, 0, header.capacity());
    return Files.write(file, bytes);
  }
}
