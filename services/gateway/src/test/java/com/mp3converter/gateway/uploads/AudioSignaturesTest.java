package com.mp3converter.gateway.uploads;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AudioSignaturesTest {
  static boolean audio(byte[] head) {
    return AudioSignatures.looksLikeAudio(head, head.length);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void commonAudioContainersPass() {
    assertThat(audio(ascii("RIFF\u0024\u0000\u0000\u0000WAVEfmt "))).isTrue();
    assertThat(audio(ascii("ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"))).isTrue();
    assertThat(audio(ascii("fLaC\u0000\u0000\u0000\u0022\u0000\u0000\u0000\u0000"))).isTrue();
    assertThat(audio(ascii("OggS\u0000\u0002\u0000\u0000\u0000\u0000\u0000\u0000"))).isTrue();
    assertThat(audio(ascii("\u0000\u0000\u0000\u0020ftypM4A "))).isTrue();
    assertThat(audio(ascii("FORM\u0000\u0000\u0000\u0000AIFF"))).isTrue();
    assertThat(audio(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64})).isTrue();
    assertThat(audio(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0, 0, 0, 0})).isTrue();
  }

  @Test
  void plainlyOtherFilesAreRefused() {
    assertThat(audio(ascii("#!/bin/sh\necho hi"))).isFalse();
    assertThat(audio(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13})).isFalse();
    assertThat(audio(ascii("PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000\u0000\u0000"))).isFalse();
    assertThat(audio(ascii("RIFF\u0024\u0000\u0000\u0000WEBPVP8 "))).as("a RIFF that is an image").isFalse();
    assertThat(audio(new byte[0])).isFalse();
    assertThat(audio(new byte[] {(byte) 0xFF})).isFalse();
  }
}
