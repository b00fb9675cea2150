package com.mp3converter.gateway.downloads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadFilenamesTest {
  private static final String JOB = "0b7e6c2e-8f3a-4c1d-9e2b-5a6f7d8c9e01";

  @Test
  void usesTheLastPathSegmentWithAnMp3Extension() {
    assertThat(DownloadFilenames.of("https://a.example/music/song.wav", JOB)).isEqualTo("song.mp3");
    assertThat(DownloadFilenames.of("https://a.example/music/song.live.flac?x=1#f", JOB)).isEqualTo("song.live.mp3");
    assertThat(DownloadFilenames.of("https://a.example/track", JOB)).isEqualTo("track.mp3");
  }

  @Test
  void reducesNamesToSafeCharacters() {
    assertThat(DownloadFilenames.of("https://a.example/My%20Song%20(live).wav", JOB)).isEqualTo("My_Song_live.mp3");
    assertThat(DownloadFilenames.of("https://a.example/a%22%3B%0D%0Ab.wav", JOB)).isEqualTo("a_b.mp3");
    assertThat(DownloadFilenames.of("https://a.example/%C3%BCber.wav", JOB)).isEqualTo("ber.mp3");
    assertThat(DownloadFilenames.of("https://a.example/..%2F..%2Fetc%2Fpasswd", JOB)).isEqualTo("etc_passwd.mp3");
    assertThat(DownloadFilenames.of("https://a.example/" + "x".repeat(300) + ".wav", JOB))
        .isEqualTo("x".repeat(100) + ".mp3");
  }

  @Test
  void fallsBackToTheJobId() {
    assertThat(DownloadFilenames.of("https://a.example/", JOB)).isEqualTo(JOB + ".mp3");
    assertThat(DownloadFilenames.of("https://a.example", JOB)).isEqualTo(JOB + ".mp3");
    assertThat(DownloadFilenames.of("https://a.example/%E2%99%AB.wav", JOB)).isEqualTo(JOB + ".mp3");
    assertThat(DownloadFilenames.of("https://a.example/.wav", JOB)).isEqualTo("wav.mp3");
    assertThat(DownloadFilenames.of("not a url", JOB)).isEqualTo(JOB + ".mp3");
  }
}
