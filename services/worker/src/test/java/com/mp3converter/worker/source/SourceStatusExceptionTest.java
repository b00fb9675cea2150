package com.mp3converter.worker.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.FailureReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceStatusExceptionTest {
  @ParameterizedTest
  @CsvSource({
    "404, source_not_found, false",
    "410, source_not_found, false",
    "400, source_unreachable, false",
    "401, source_unreachable, false",
    "403, source_unreachable, false",
    "405, source_unreachable, false",
    "408, source_unreachable, true",
    "429, source_unreachable, true",
    "500, source_unreachable, true",
    "502, source_unreachable, true",
    "503, source_unreachable, true",
    "304, source_unreachable, false",
  })
  void mapsTheStatus(int status, String code, boolean retryable) {
    SourceStatusException e = new SourceStatusException(status);

    assertThat(e.reason()).isEqualTo(FailureReason.fromCode(code));
    assertThat(e.retryable()).isEqualTo(retryable);
    assertThat(e.status()).isEqualTo(status);
  }
}
