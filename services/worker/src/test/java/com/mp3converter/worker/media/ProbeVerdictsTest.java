package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Over ffprobe output captured from ffmpeg 5.1 (src/test/resources/ffprobe). */
class ProbeVerdictsTest {
  private static final long THREE_HOURS = 10_800;

  @ParameterizedTest
  @CsvSource({
    "wav, wav, pcm_s16le, 3.0",
    "mp3, mp3, mp3, 3.030204",
    "mp3-with-cover, mp3, mp3, 3.030204",
    "flac, flac, flac, 3.0",
    "ogg-vorbis, ogg, vorbis, 3.0",
    "ogg-opus, ogg, opus, 3.0065",
    "m4a, mov, aac, 3.0",
    "mp4-video-and-audio, mov, aac, 3.0",
    "matroska-flac, matroska, flac, 3.0",
    "webm-vorbis, matroska, vorbis, 3.003",
    "aiff, aiff, pcm_s16be, 3.0",
    "adts-aac, aac, aac, 3.030124",
  })
  void acceptsASingleAudioFileOfAnAcceptedContainer(String sample, String format, String codec, double seconds)
      throws IOException {
    SourceMedia media = ProbeVerdicts.source(json(sample), THREE_HOURS);

    assertThat(media.inputFormat()).isEqualTo(format);
    assertThat(media.codec()).isEqualTo(codec);
    assertThat(media.durationSeconds()).isCloseTo(seconds, org.assertj.core.data.Offset.offset(0.001));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hls-playlist", "ffconcat-playlist", "png-image", "mp4-video-only"})
  void refusesPlaylistsImagesAndVideoWithoutAudio(String sample) throws IOException {
    assertRefused(json(sample), FailureReason.NOT_AUDIO);
  }

  @Test
  void findsTheAttachedPictureAndOnlyABoundedOne() throws IOException {
    assertThat(ProbeVerdicts.source(json("mp3-with-cover"), THREE_HOURS).pictureStream()).isEqualTo(1);
    assertThat(ProbeVerdicts.source(json("mp3"), THREE_HOURS).pictureStream()).isNull();
    String huge = json("mp3-with-cover").replace("\"width\": 64", "\"width\": 20000");
    assertThat(ProbeVerdicts.source(huge, THREE_HOURS).pictureStream()).isNull();
  }

  @Test
  void readsTheTagsOfTheContainerAndTheAudioStream() throws IOException {
    String tagged = json("mp3-with-cover").replace("\"encoder\": \"Lavf59.27.100\"",
        "\"encoder\": \"Lavf59.27.100\", \"TITLE\": \"Night\\nDrive\\u202e\", \"track\": 7, \"DATE\": \"2001-02-03\"");

    TrackTags tags = ProbeVerdicts.source(tagged, THREE_HOURS).tags();

    // A number where ffprobe writes text is not a tag we carry.
    assertThat(tags).isEqualTo(new TrackTags("Night Drive", null, null, null, "2001"));
    assertThat(ProbeVerdicts.source(json("wav"), THREE_HOURS).tags()).isEqualTo(TrackTags.NONE);
  }

  @Test
  void refusesARecordingLongerThanTheLimit() throws IOException {
    assertRefused(json("wav"), 2, FailureReason.TOO_LONG);
    assertThat(ProbeVerdicts.source(json("wav"), 3).durationSeconds()).isEqualTo(3.0);
  }

  @Test
  void acceptsAnUnknownDurationAndLeavesItToTheDurationCap() throws IOException {
    String noDuration = json("flac").replaceAll("\"duration\": \"[0-9.]+\"", "\"duration\": \"N/A\"");

    assertThat(ProbeVerdicts.source(noDuration, THREE_HOURS).durationSeconds()).isNull();
  }

  @Test
  void refusesAGuessedFormat() throws IOException {
    String lowScore = json("mp3").replace("\"probe_score\": 51", "\"probe_score\": 25");
    assertRefused(lowScore, FailureReason.NOT_AUDIO);
  }

  @Test
  void refusesACodecOutsideTheList() throws IOException {
    String video = json("matroska-flac").replace("\"codec_name\": \"flac\"", "\"codec_name\": \"dts\"");
    assertRefused(video, FailureReason.NOT_AUDIO);
  }

  @Test
  void refusesEmptyOrBrokenOutput() {
    assertRefused("", FailureReason.NOT_AUDIO);
    assertRefused("{}", FailureReason.NOT_AUDIO);
    assertRefused("{\"format\": ", FailureReason.NOT_AUDIO);
    assertRefused("[1,2]", FailureReason.NOT_AUDIO);
    assertRefused(null, FailureReason.NOT_AUDIO);
  }


  private static void assertRefused(String json, FailureReason reason) {
    assertRefused(json, THREE_HOURS, reason);
  }

  private static void assertRefused(String json, long maxSeconds, FailureReason reason) {
    assertThatThrownBy(() -> ProbeVerdicts.source(json, maxSeconds))
        .isInstanceOfSatisfying(ConversionException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static String json(String sample) throws IOException {
    try (InputStream in = ProbeVerdictsTest.class.getResourceAsStream("/ffprobe/" + sample + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
