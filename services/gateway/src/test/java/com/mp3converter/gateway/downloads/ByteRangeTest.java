package com.mp3converter.gateway.downloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

  private static ByteRange range(String header, long total) {
    return ByteRange.parse(header, total).orElseThrow();
  }

  private static void assertUnsatisfiable(String header, long total) {
    assertThatThrownBy(() -> ByteRange.parse(header, total))
        .isInstanceOfSatisfying(ProblemException.class, p -> {
          assertThat(p.problem().status()).isEqualTo(416);
          assertThat(p.headers()).containsEntry("Content-Range", "bytes */" + total);
        });
  }

  @Test
  void servesTheThreeSingleRangeForms() {
    assertThat(range("bytes=0-99", 1000)).isEqualTo(new ByteRange(0, 99, 1000));
    assertThat(range("bytes=0-99", 1000).length()).isEqualTo(100);
    assertThat(range("bytes=0-99", 1000).contentRange()).isEqualTo("bytes 0-99/1000");
    assertThat(range("bytes=900-", 1000)).isEqualTo(new ByteRange(900, 999, 1000));
    assertThat(range("bytes=-10", 1000)).isEqualTo(new ByteRange(990, 999, 1000));
    assertThat(range(" bytes=5-5 ", 1000)).isEqualTo(new ByteRange(5, 5, 1000));
  }

  @Test
  void clampsRangesThatRunPastTheEnd() {
    assertThat(range("bytes=900-5000", 1000)).isEqualTo(new ByteRange(900, 999, 1000));
    assertThat(range("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 999, 1000));
  }

  @Test
  void rangesOutsideTheObjectAre416() {
    assertUnsatisfiable("bytes=1000-", 1000);
    assertUnsatisfiable("bytes=1000-2000", 1000);
    assertUnsatisfiable("bytes=-0", 1000);
    assertUnsatisfiable("bytes=0-", 0);
    assertUnsatisfiable("bytes=-1", 0);
  }

  @Test
  void ignoresWhatItDoesNotServeAndSendsTheWholeObject() {
    assertThat(ByteRange.parse(null, 1000)).isEmpty();
    assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isEmpty();
    assertThat(ByteRange.parse("items=0-1", 1000)).isEmpty();
    assertThat(ByteRange.parse("bytes=5-1", 1000)).isEmpty();
    assertThat(ByteRange.parse("bytes=2000-1", 1000)).isEmpty();
    assertThat(ByteRange.parse("bytes=-", 1000)).isEmpty();
    assertThat(ByteRange.parse("bytes=a-b", 1000)).isEmpty();
    assertThat(ByteRange.parse("bytes=99999999999999999999-", 1000)).isEmpty();
  }
}
