package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;
import java.net.ConnectException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class StorageRetryTest {
  private final StorageRetry retry = new StorageRetry(4, 1000, 3000);

  @Test
  void pausesGrowUpToTheCapThenTheStepFailsAsStorageUnavailable() {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    retry.begin(exchange);
    assertThat(exchange.getProperty(StorageRetry.DONE, Boolean.class)).isFalse();
    exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new ConnectException("refused"));

    long[] pauses = new long[4];
    for (int i = 0; i < 4; i++) {
      retry.failed(exchange);
      pauses[i] = exchange.getProperty(StorageRetry.DELAY, Long.class);
    }
    assertThat(pauses).containsExactly(1000, 2000, 3000, 3000);

    assertThatThrownBy(() -> retry.failed(exchange))
        .isInstanceOfSatisfying(ConversionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.STORAGE_UNAVAILABLE))
        .hasCauseInstanceOf(ConnectException.class);
  }
}
