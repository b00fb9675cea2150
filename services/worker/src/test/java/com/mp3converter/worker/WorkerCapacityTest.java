package com.mp3converter.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class WorkerCapacityTest {
  @Test
  void theConsumersAreTheEncodersAndTheJobsAhead() {
    assertThat(new WorkerCapacity(2, 1).consumers()).isEqualTo(3);
    assertThat(new WorkerCapacity(1, 0).consumers()).isEqualTo(1);
  }

  @Test
  void aThirdEncoderWaitsUntilOneIsReturned() throws Exception {
    WorkerCapacity capacity = new WorkerCapacity(2, 1);
    capacity.takeEncoder();
    capacity.takeEncoder();
    assertThat(capacity.encodersBusy()).isEqualTo(2);

    CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
      try {
        capacity.takeEncoder();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThatThrownBy(() -> third.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    capacity.returnEncoder();
    third.get(10, TimeUnit.SECONDS);
    assertThat(capacity.encodersBusy()).isEqualTo(2);
  }

  @Test
  void noEncoderOrNegativeJobsAheadIsRefused() {
    assertThatThrownBy(() -> new WorkerCapacity(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WorkerCapacity(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
