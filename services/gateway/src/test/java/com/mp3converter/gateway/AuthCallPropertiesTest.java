package com.mp3converter.gateway;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuthCallPropertiesTest {
  @Test
  void callsToAuthMustLeaveRequestThreadsForTheRestOfTheApi() {
    AuthCallProperties four = new AuthCallProperties(4, Duration.ofSeconds(2), Duration.ofSeconds(5));
    assertThatCode(() -> four.requireBelow(8)).doesNotThrowAnyException();
    assertThatThrownBy(() -> four.requireBelow(4))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("spring.task.execution.pool.core-size");
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new AuthCallProperties(0, Duration.ofSeconds(2), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AuthCallProperties(4, Duration.ZERO, Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AuthCallProperties(4, Duration.ofSeconds(2), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
