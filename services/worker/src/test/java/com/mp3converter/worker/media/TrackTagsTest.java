package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What survives of a source's tags, value by value (no Camel, no ffmpeg). */
class TrackTagsTest {

  @Test
  void keepsTheFiveTagsWhateverTheCaseOfTheirKeys() {
    TrackTags tags = TrackTags.from(
        Map.of("TITLE", "Für Elise", "Artist", "Ludwig", "album", "Bagatelles", "TRACK", "7/12", "DATE", "1810"),
        Map.of());

    assertThat(tags).isEqualTo(new TrackTags("Für Elise", "Ludwig", "Bagatelles", "7/12", "1810"));
    assertThat(tags.ffmpegMetadata()).containsExactly(
        Map.entry("title", "Für Elise"), Map.entry("artist", "Ludwig"), Map.entry("album", "Bagatelles"),
        Map.entry("track", "7/12"), Map.entry("date", "1810"));
  }

  @Test
  void theContainersTagsComeFirstAndTheStreamFillsTheGaps() {
    TrackTags tags = TrackTags.from(Map.of("title", "From the container"),
        Map.of("TITLE", "From the stream", "ARTIST", "Stream artist", "TRACKNUMBER", "03", "YEAR", "1999"));

    assertThat(tags).isEqualTo(new TrackTags("From the container", "Stream artist", null, "3", "1999"));
  }

  @Test
  void everyOtherTagIsDropped() {
    TrackTags tags = TrackTags.from(
        Map.of("comment", "visit evil.example", "encoder", "x", "lyrics", "la la", "album_artist", "A"), null);

    assertThat(tags).isEqualTo(TrackTags.NONE);
    assertThat(tags.ffmpegMetadata()).isEmpty();
  }

  @Test
  void controlAndFormatCharactersAreRemovedAndWhitespaceBecomesOneSpace() {
    assertThat(TrackTags.text("a\u0000b")).isEqualTo("ab");
    assertThat(TrackTags.text("line one\r\nline two\ttabbed")).isEqualTo("line one line two tabbed");
    assertThat(TrackTags.text("\u001b[31mred\u001b[0m")).isEqualTo("[31mred[0m");
    // Bidi overrides and isolates, zero-width space, BOM, line separator, a lone surrogate, private use.
    assertThat(TrackTags.text("evil\u202egpj.exe")).isEqualTo("evilgpj.exe");
    assertThat(TrackTags.text("\u2066a\u2069\u200bb\ufeffc\u2028d\ud800e\ue000f")).isEqualTo("abc d" + "ef");
    assertThat(TrackTags.text("  padded   ")).isEqualTo("padded");
    assertThat(TrackTags.text("\u00a0\u3000x")).isEqualTo("x");
  }

  @Test
  void emojiAndOtherScriptsAreText() {
    assertThat(TrackTags.text("Song 🎵 of mine")).isEqualTo("Song 🎵 of mine");
    assertThat(TrackTags.text("👩‍👩‍👧")).isEqualTo("👩‍👩‍👧");
    assertThat(TrackTags.text("שלום עולם")).isEqualTo("שלום עולם");
    assertThat(TrackTags.text("東京")).isEqualTo("東京");
  }

  @Test
  void valuesAreBoundedWithoutSplittingACharacter() {
    assertThat(TrackTags.text("t".repeat(10_240))).isEqualTo("t".repeat(TrackTags.MAX_LENGTH));
    String emoji = "🎵".repeat(150);
    String cut = TrackTags.text("x" + emoji);
    assertThat(cut.length()).isLessThanOrEqualTo(TrackTags.MAX_LENGTH);
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
    assertThat(cut.codePoints().allMatch(c -> c == 'x' || c == "🎵".codePointAt(0))).isTrue();
  }

  @Test
  void emptyValuesAreDropped() {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("title", "");
    raw.put("artist", "   \n\t ");
    raw.put("album", "\u202e\u0000");
    raw.put("track", "");
    raw.put("date", null);

    assertThat(TrackTags.from(raw, Map.of())).isEqualTo(TrackTags.NONE);
  }

  @Test
  void theTrackIsANumberOrNumberSlashTotal() {
    assertThat(TrackTags.track("5")).isEqualTo("5");
    assertThat(TrackTags.track("05 / 12")).isEqualTo("5/12");
    assertThat(TrackTags.track("3/0")).isEqualTo("3");
    assertThat(TrackTags.track("0")).isNull();
    assertThat(TrackTags.track("-1")).isNull();
    assertThat(TrackTags.track("five")).isNull();
    assertThat(TrackTags.track("1; rm -rf /")).isNull();
    assertThat(TrackTags.track("99999")).isNull();
    assertThat(TrackTags.track("1".repeat(10_240))).isNull();
  }

  @Test
  void theYearIsFourDigits() {
    assertThat(TrackTags.year("1999")).isEqualTo("1999");
    assertThat(TrackTags.year("2019-05-01")).isEqualTo("2019");
    assertThat(TrackTags.year("2019-05-01T10:00:00Z")).isEqualTo("2019");
    assertThat(TrackTags.year("99")).isNull();
    assertThat(TrackTags.year("circa 1999")).isNull();
    assertThat(TrackTags.year("19999")).isNull();
    assertThat(TrackTags.year("١٩٩٩")).isNull();
  }
}
