package com.mp3converter.shared.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutputFormatTest {
  private static final String USER = "0b7e2a9c-1d2f-4e3a-8b4c-5d6e7f8a9b0c";
  private static final String JOB = "5f0c6a2e-8a53-4f7b-9d0e-2b1c3d4e5f60";

  @Test
  void mp3IsWhatEveryJobBecomes() {
    OutputFormat mp3 = OutputFormat.DEFAULT;

    assertThat(mp3).isSameAs(OutputFormat.MP3);
    assertThat(mp3.displayName()).isEqualTo("MP3");
    assertThat(mp3.extension()).isEqualTo("mp3");
    assertThat(mp3.contentType()).isEqualTo("audio/mpeg");
    assertThat(mp3.encoder()).isEqualTo("libmp3lame");
    assertThat(mp3.muxer()).isEqualTo("mp3");
    assertThat(mp3.fileName("song")).isEqualTo("song.mp3");
  }

  @Test
  void everyFormatCanWriteEveryBitrateAUserMayAskFor() {
    for (OutputFormat format : OutputFormat.values()) {
      for (Bitrate bitrate : Bitrate.values()) {
        assertThat(format.encoderOptions(bitrate)).as(format + " " + bitrate).hasSize(2);
      }
    }
    assertThat(OutputFormat.MP3.encoderOptions(Bitrate.CBR_128)).isEqualTo(List.of("-b:a", "128k"));
    assertThat(OutputFormat.MP3.encoderOptions(Bitrate.CBR_320)).isEqualTo(List.of("-b:a", "320k"));
    assertThat(OutputFormat.MP3.encoderOptions(Bitrate.VBR_0)).isEqualTo(List.of("-q:a", "0"));
    assertThat(OutputFormat.MP3.encoderOptions(Bitrate.VBR_2)).isEqualTo(List.of("-q:a", "2"));
  }

  @Test
  void theSizeCapRateCoversTheHighestBitrate() {
    // 320 kbit/s is 40,000 bytes per second.
    assertThat(OutputFormat.MP3.maxBytesPerSecond()).isGreaterThan(320_000 / 8);
  }

  @Test
  void objectKeysAreBuiltFromOurIdsAndTheFormatsExtension() {
    assertThat(ObjectKeys.output(USER, JOB, OutputFormat.MP3)).isEqualTo("users/" + USER + "/" + JOB + ".mp3");
    assertThatThrownBy(() -> ObjectKeys.output("../../etc", JOB, OutputFormat.MP3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ObjectKeys.output(USER, "passwd", OutputFormat.MP3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ObjectKeys.output(USER.toUpperCase(), JOB, OutputFormat.MP3))
        .isEqualTo("users/" + UUID.fromString(USER) + "/" + JOB + ".mp3");
  }
}
