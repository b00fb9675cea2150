package com.mp3converter.shared.messages;

import static org.assertj.core.api.Assertions.assertThat;

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
    assertThat(name("https://a.example/%C3%BCber.wav")).isEqualTo("uber.mp3");
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
    assertThat(name(null)).isEqualTo(JOB + ".mp3");
  }

  @Test
  void theTitleComesFirstAndKeepsItsDots() {
    assertThat(titled("Für Elise", "https://a.example/track01.wav")).isEqualTo("Fur_Elise.mp3");
    assertThat(titled("Live at 5.30", "https://a.example/x.wav")).isEqualTo("Live_at_5.30.mp3");
    assertThat(titled("Beyoncé – Halo", "https://a.example/x.wav")).isEqualTo("Beyonce_Halo.mp3");
  }

  @Test
  void aTitleWithNothingUsableFallsBackToTheSourceName() {
    assertThat(titled("", "https://a.example/song.wav")).isEqualTo("song.mp3");
    assertThat(titled("   ", "https://a.example/song.wav")).isEqualTo("song.mp3");
    assertThat(titled("🎵🎶", "https://a.example/song.wav")).isEqualTo("song.mp3");
    assertThat(titled("\u202e\u0000\n", "https://a.example/song.wav")).isEqualTo("song.mp3");
    assertThat(titled("...", "https://a.example/")).isEqualTo(JOB + ".mp3");
  }

  @Test
  void hostileTitlesBecomeHarmlessNames() {
    assertThat(titled("../../etc/passwd", null)).isEqualTo("etc_passwd.mp3");
    assertThat(titled("a\u0000b\r\nContent-Type: text/html", null)).isEqualTo("a_b_Content-Type_text_html.mp3");
    // A right-to-left override would show "evil\u202egpj.exe" as "evilexe.jpg".
    assertThat(titled("evil\u202egpj.exe", null)).isEqualTo("evil_gpj.exe.mp3");
    assertThat(titled("\"quoted\"; filename=x.sh", null)).isEqualTo("quoted_filename_x.sh.mp3");
    assertThat(titled("Song 🎵 of mine", null)).isEqualTo("Song_of_mine.mp3");
    String huge = "t".repeat(10_240);
    assertThat(titled(huge, null)).isEqualTo("t".repeat(DownloadFilenames.MAX_BASE_LENGTH) + ".mp3");
  }

  @Test
  void anUploadsFileNameIsASourceNameLikeAUrlSegment() {
    assertThat(DownloadFilenames.of(null, "My Recording.m4a", JOB, OutputFormat.MP3)).isEqualTo("My_Recording.mp3");
    assertThat(DownloadFilenames.of(null, "..\\..\\windows\\system.ini", JOB, OutputFormat.MP3))
        .isEqualTo("windows_system.mp3");
    assertThat(DownloadFilenames.of(null, "x".repeat(10_240) + ".wav", JOB, OutputFormat.MP3))
        .isEqualTo("x".repeat(DownloadFilenames.MAX_BASE_LENGTH) + ".mp3");
    assertThat(DownloadFilenames.of(null, "", JOB, OutputFormat.MP3)).isEqualTo(JOB + ".mp3");
  }

  @Test
  void everyNameTheRuleMakesIsSafeAndNothingElseIs() {
    for (String title : new String[] {"Für Elise", "../../etc/passwd", "a\r\nb", "\u202egpj.exe", "t".repeat(10_240)}) {
      assertThat(DownloadFilenames.isSafe(titled(title, null))).as(title).isTrue();
    }
    assertThat(DownloadFilenames.isSafe(JOB + ".mp3")).isTrue();
    assertThat(DownloadFilenames.isSafe(null)).isFalse();
    assertThat(DownloadFilenames.isSafe("")).isFalse();
    assertThat(DownloadFilenames.isSafe(".hidden.mp3")).isFalse();
    assertThat(DownloadFilenames.isSafe("../x.mp3")).isFalse();
    assertThat(DownloadFilenames.isSafe("a\"b.mp3")).isFalse();
    assertThat(DownloadFilenames.isSafe("a\r\nb.mp3")).isFalse();
    assertThat(DownloadFilenames.isSafe("x".repeat(300) + ".mp3")).isFalse();
  }

  private static String name(String sourceUrl) {
    return DownloadFilenames.ofUrl(sourceUrl, JOB, OutputFormat.MP3);
  }

  private static String titled(String title, String sourceUrl) {
    return DownloadFilenames.of(title, DownloadFilenames.urlSourceName(sourceUrl), JOB, OutputFormat.MP3);
  }
}
