package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class StorageRetryTest {
  private final StorageRetry retry = new StorageRetry(4, 1000, 3000);

  @Test
  void pausesGrowUpToTheCapThenTheStepFailsAsStorageUnavailable() {
    ConnectException refused = new ConnectException("refused");

    Integer retries = 0;
    long[] pauses = new long[4];
    for (int i = 0; i < 4; i++) {
      retries = retry.failed(refused, retries, null);
      assertThat(retries).isEqualTo(i + 1);
      pauses[i] = retry.delay(retries);
    }
    assertThat(pauses).containsExactly(1000, 2000, 3000, 3000);

    Integer used = retries;
    assertThatThrownBy(() -> retry.failed(refused, used, null))
        .isInstanceOfSatisfying(ConversionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.STORAGE_UNAVAILABLE))
        .hasCauseInstanceOf(ConnectException.class);
  }

  @Test
  void theFirstFailureOfALoopIsTheFirstRetry() {
    assertThat(retry.failed(new ConnectException("refused"), null, null)).isEqualTo(1);
  }
}
