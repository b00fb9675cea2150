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
    assertThat(audio(ascii("RIFF$\0\0\0WAVEfmt "))).isTrue();
    assertThat(audio(ascii("ID3\4\0\0\0\0\0\0\0\0"))).isTrue();
    assertThat(audio(ascii("fLaC\0\0\0\42\0\0\0\0"))).isTrue();
    assertThat(audio(ascii("OggS\0\2\0\0\0\0\0\0"))).isTrue();
    assertThat(audio(ascii("\0\0\0 ftypM4A "))).isTrue();
    assertThat(audio(ascii("FORM\0\0\0\0AIFF"))).isTrue();
    assertThat(audio(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64})).isTrue();
    assertThat(audio(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0, 0, 0, 0})).isTrue();
  }

  @Test
  void plainlyOtherFilesAreRefused() {
    assertThat(audio(ascii("#!/bin/sh\necho hi"))).isFalse();
    assertThat(audio(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13})).isFalse();
    assertThat(audio(ascii("PK\3\4\24\0\0\0\10\0\0\0"))).isFalse();
    assertThat(audio(ascii("RIFF$\0\0\0WEBPVP8 "))).as("a RIFF that is an image").isFalse();
    assertThat(audio(new byte[0])).isFalse();
    assertThat(audio(new byte[] {(byte) 0xFF})).isFalse();
  }
}
