package com.mp3converter.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuthCallConfigurationTest {
  final CircuitBreaker circuit = new AuthCallConfiguration().authCircuit();

  @Test
  void callsTheBulkheadRefusedNeverOpenTheCircuit() {
    BulkheadFullException refused = BulkheadFullException.createBulkheadFullException(Bulkhead.ofDefaults("auth"));
    for (int i = 0; i < 100; i++) {
      circuit.acquirePermission();
      circuit.onError(0, TimeUnit.MILLISECONDS, refused);
    }
    assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void itOpensOnlyWhenEveryOneOfTheLastTenCallsToAuthFailed() {
    for (int i = 0; i < AuthCallConfiguration.JUDGED_CALLS - 1; i++) {
      fail();
    }
    circuit.acquirePermission();
    circuit.onSuccess(0, TimeUnit.MILLISECONDS);
    assertThat(circuit.getState()).as("nine failures and one answer").isEqualTo(CircuitBreaker.State.CLOSED);

    for (int i = 0; i < AuthCallConfiguration.JUDGED_CALLS; i++) {
      fail();
    }
    assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(circuit.tryAcquirePermission()).as("refused at once while open").isFalse();
  }

  private void fail() {
    circuit.acquirePermission();
    circuit.onError(0, TimeUnit.MILLISECONDS, new IOException("Connection refused"));
  }
}
