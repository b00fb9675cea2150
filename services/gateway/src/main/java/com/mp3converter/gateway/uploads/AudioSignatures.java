package com.mp3converter.gateway.uploads;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cheap look at the first bytes of an upload: does it start like an audio (or audio-carrying) container that
 * ffmpeg reads? This only turns away what is plainly not audio (text, images, archives, executables) before it is
 * stored; the worker probes every source fully before converting it.
 */
public final class AudioSignatures {
  /** How many leading bytes {@link #looksLikeAudio} needs at most. */
  public static final int PREFIX_BYTES = 12;

  private AudioSignatures() {}

  public static boolean looksLikeAudio(byte[] prefix, int length) {
    byte[] head = Arrays.copyOf(prefix, Math.min(length, PREFIX_BYTES));
    return startsWith(head, 0, "RIFF") && (startsWith(head, 8, "WAVE") || startsWith(head, 8, "AVI "))
        || startsWith(head, 0, "RF64")
        || startsWith(head, 0, "ID3")
        || startsWith(head, 0, "fLaC")
        || startsWith(head, 0, "OggS")
        || startsWith(head, 0, "FORM") && (startsWith(head, 8, "AIFF") || startsWith(head, 8, "AIFC"))
        || startsWith(head, 4, "ftyp")
        || startsWith(head, 0, "#!AMR")
        || startsWith(head, 0, "MAC ")
        || startsWith(head, 0, "wvpk")
        || startsWith(head, 0, ".snd")
        || startsWith(head, 0, "caff")
        // Matroska / WebM (EBML) and ASF (WMA)
        || startsWith(head, new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3})
        || startsWith(head, new byte[] {0x30, 0x26, (byte) 0xB2, 0x75})
        // An MPEG audio frame or ADTS (AAC) header: eleven set sync bits.
        || head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0;
  }

  private static boolean startsWith(byte[] head, int offset, String ascii) {
    byte[] expected = ascii.getBytes(StandardCharsets.US_ASCII);
    return head.length >= offset + expected.length
        && Arrays.equals(head, offset, offset + expected.length, expected, 0, expected.length);
  }

  private static boolean startsWith(byte[] head, byte[] expected) {
    return head.length >= expected.length && Arrays.equals(head, 0, expected.length, expected, 0, expected.length);
  }
}
