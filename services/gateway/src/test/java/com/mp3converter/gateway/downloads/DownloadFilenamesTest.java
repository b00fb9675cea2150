package com.mp3converter.gateway.downloads;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.OutputFormat;
import org.junit.jupiter.api.Test;

class DownloadFilenamesTest {
  private static final String JOB = "0b7e6c2e-8f3a-4c1d-9e2b-5a6f7d8c9e01";

  @Test
  void usesTheLastPathSegmentWithTheFormatsExtension() {
    assertThat(name("https://a.example/music/song.wav")).isEqualTo("song.mp3");
    assertThat(name("https://a.example/music/song.live.flac?x=1#f")).isEqualTo("song.live.mp3");
    assertThat(name("https://a.example/track")).isEqualTo("track.mp3");
  }

  @Test
  void reducesNamesToSafeCharacters() {
    assertThat(name("https://a.example/My%20Song%20(live).wav")).isEqualTo("My_Song_live.mp3");
    assertThat(name("https://a.example/a%22%3B%0D%0Ab.wav")).isEqualTo("a_b.mp3");
    assertThat(name("https://a.example/%C3%BCber.wav")).isEqualTo("ber.mp3");
    assertThat(name("https://a.example/..%2F..%2Fetc%2Fpasswd")).isEqualTo("etc_passwd.mp3");
    assertThat(name("https://a.example/" + "x".repeat(300) + ".wav"))
        .isEqualTo("x".repeat(100) + ".mp3");
  }

  @Test
  void fallsBackToTheJobId() {
    assertThat(name("https://a.example/")).isEqualTo(JOB + ".mp3");
    assertThat(name("https://a.example")).isEqualTo(JOB + ".mp3");
    assertThat(name("https://a.example/%E2%99%AB.wav")).isEqualTo(JOB + ".mp3");
    assertThat(name("https://a.example/.wav")).isEqualTo("wav.mp3");
    assertThat(name("not a url")).isEqualTo(JOB + ".mp3");
  }

  private static String name(String sourceUrl) {
    return DownloadFilenames.of(sourceUrl, JOB, OutputFormat.MP3);
  }
}
