package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.messages.Bitrate;
import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.OutputFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FfmpegCommandTest {
  private static final Path IN = Path.of("/work/job-1/source");
  private static final Path OUT = Path.of("/work/job-1/output");
  private static final OutputFormat MP3 = OutputFormat.MP3;

  @Test
  void buildsTheHardenedArgumentList() {
    List<String> args = FfmpegCommand.arguments(IN, new SourceMedia("wav", null, null), OUT, MP3, Bitrate.CBR_192, 10_800, false);

    assertThat(args).containsExactly(
        "-nostdin", "-hide_banner", "-v", "error",
        // How far it got, as key=value lines on standard output (JobProgress); no stats line on stderr.
        "-progress", "pipe:1", "-nostats",
        "-protocol_whitelist", "file",
        "-f", "wav",
        "-i", "file:/work/job-1/source",
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-map_metadata", "-1", "-map_chapters", "-1",
        "-t", "10800",
        "-c:a", "libmp3lame", "-b:a", "192k",
        "-id3v2_version", "3",
        "-fs", Long.toString(10_800L * 41_000 + 1_048_576),
        "-abort_on", "empty_output",
        "-f", "mp3",
        "-y", "file:/work/job-1/output");
  }

  @Test
  void writesOnlyTheSanitisedTagsAsId3v23AndMapsAPictureOnlyWhenAllowed() {
    SourceMedia media = new SourceMedia("flac", "flac", 1.0,
        new TrackTags("Title=with equals", "Artist", null, "3/9", "1999"), 1);

    List<String> dropping = FfmpegCommand.arguments(IN, media, OUT, MP3, Bitrate.CBR_192, 60, false);
    assertThat(dropping).containsSubsequence("-map", "0:a:0", "-vn", "-map_metadata", "-1", "-id3v2_version", "3",
        "-metadata", "title=Title=with equals", "-metadata", "artist=Artist", "-metadata", "track=3/9",
        "-metadata", "date=1999", "-fs");
    assertThat(dropping).doesNotContain("0:1", "-c:v", "album=");

    List<String> keeping = FfmpegCommand.arguments(IN, media, OUT, MP3, Bitrate.CBR_192, 60, true);
    assertThat(keeping).containsSubsequence("-map", "0:a:0", "-map", "0:1", "-c:v", "mjpeg", "-frames:v", "1",
        "-disposition:v:0", "attached_pic").doesNotContain("-vn");

    SourceMedia noPicture = new SourceMedia("flac", "flac", 1.0, TrackTags.NONE, null);
    assertThat(FfmpegCommand.arguments(IN, noPicture, OUT, MP3, Bitrate.CBR_192, 60, true))
        .contains("-vn").doesNotContain("-metadata", "-c:v");
  }

  @Test
  void theInputFormatComesBeforeTheInputAndTheOutputIsLast() {
    List<String> args = FfmpegCommand.arguments(IN, new SourceMedia("mov", null, null), OUT, MP3, Bitrate.VBR_0, 60, false);

    assertThat(args.indexOf("-f")).isLessThan(args.indexOf("-i"));
    assertThat(args.get(args.indexOf("-f") + 1)).isEqualTo("mov");
    assertThat(args.get(args.size() - 1)).isEqualTo("file:" + OUT);
    assertThat(args).containsSubsequence("-c:a", "libmp3lame", "-q:a", "0");
    assertThat(args).doesNotContain("-b:a");
  }

  @Test
  void everyBitrateUsesTheFormatsEncoderOptionsForIt() {
    for (Bitrate bitrate : Bitrate.values()) {
      List<String> args = FfmpegCommand.arguments(IN, new SourceMedia("flac", null, null), OUT, MP3, bitrate, 60, false);
      int codec = args.indexOf("libmp3lame");
      List<String> options = MP3.encoderOptions(bitrate);
      assertThat(args.subList(codec + 1, codec + 1 + options.size())).isEqualTo(options);
    }
  }

  @Test
  void refusesAnInputFormatThatTheProbeWouldNotHaveAccepted() {
    for (String format : List.of("hls", "concat", "lavfi", "mov,mp4,m4a,3gp,3g2,mj2", "", "wav -i /etc/passwd")) {
      assertThatThrownBy(() -> FfmpegCommand.arguments(IN, new SourceMedia(format, null, null), OUT, MP3, Bitrate.DEFAULT, 60, false))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void noArgumentCarriesWhitespaceOrShellSyntax() {
    // Arguments go to the process one by one; this holds as long as our own paths have no spaces.
    for (String arg : FfmpegCommand.arguments(IN, new SourceMedia("ogg", null, null), OUT, MP3, Bitrate.CBR_320, 10_800, false)) {
      assertThat(arg).doesNotContainAnyWhitespaces().doesNotContain("|", ";", "&", "$", "`");
    }
  }

  @Test
  void theOutputCapHoldsTheLongestRecordingAt320k() {
    long cap = FfmpegCommand.outputCap(MP3, 10_800);
    assertThat(cap).isGreaterThan(10_800L * 320_000 / 8).isLessThan(10_800L * 320_000 / 8 * 11 / 10);
  }

  @Test
  void bitrateComesFromTheJobWithTheDefaultWhenMissing() {
    assertThat(FfmpegCommand.bitrate(job(null))).isEqualTo(Bitrate.DEFAULT);
    assertThat(FfmpegCommand.bitrate(job(""))).isEqualTo(Bitrate.DEFAULT);
    assertThat(FfmpegCommand.bitrate(job("v2"))).isEqualTo(Bitrate.VBR_2);
    assertThat(FfmpegCommand.bitrate(job("320k"))).isEqualTo(Bitrate.CBR_320);
    assertThatThrownBy(() -> FfmpegCommand.bitrate(job("999k")))
        .isInstanceOfSatisfying(ConversionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.CONVERSION_FAILED));
  }

  private static ConversionRequested job(String bitrate) {
    return new ConversionRequested(1, "j", "u", "e@example.org", "n", "http://example.org/a.wav", bitrate, Instant.EPOCH);
  }
}
