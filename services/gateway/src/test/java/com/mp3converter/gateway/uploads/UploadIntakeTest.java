package com.mp3converter.gateway.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class UploadIntakeTest {
  final UploadIntake intake = new UploadIntake(Clock.systemUTC(), 20, Path.of("."));

  @Test
  void aFilenameKeepsItsLastSegmentWithoutControlOrFormatCharacters() {
    assertThat(intake.filename("song.wav")).isEqualTo("song.wav");
    assertThat(intake.filename("C:\\music\\a b.flac")).isEqualTo("a b.flac");
    assertThat(intake.filename("../../x\0y\u202e.wav")).isEqualTo("xy.wav");
    assertThat(intake.filename("  Grüße.ogg ")).isEqualTo("Grüße.ogg");
  }

  @Test
  void unusableOrOverlongFilenamesAre400() {
    for (String name : new String[] {null, "", "   ", "dir/", "..", "\7\10", "a".repeat(21)}) {
      assertThatThrownBy(() -> intake.filename(name)).as(String.valueOf(name))
          .isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.problem().status()).isEqualTo(400);
            assertThat(p.problem().type()).isEqualTo("/problems/invalid-filename");
          });
    }
  }
}
