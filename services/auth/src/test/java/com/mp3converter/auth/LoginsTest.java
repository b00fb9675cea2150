package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoginsTest {
  @Test
  void theClientIsTheFirstForwardedHop() {
    assertThat(Logins.firstHop("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(Logins.firstHop(" 203.0.113.7 , 10.0.0.1, 10.0.0.2")).isEqualTo("203.0.113.7");
    assertThat(Logins.firstHop("2001:db8::1, 10.0.0.1")).isEqualTo("2001:db8::1");
    assertThat(Logins.firstHop(List.of("198.51.100.4", "10.0.0.1"))).isEqualTo("198.51.100.4");
  }

  @Test
  void absentOrEmptyHeadersFallBackToThePeer() {
    assertThat(Logins.firstHop(null)).isNull();
    assertThat(Logins.firstHop("")).isNull();
    assertThat(Logins.firstHop(" , 10.0.0.1")).isNull();
    assertThat(Logins.firstHop(List.of())).isNull();
  }

  @Test
  void overlongValuesAreCut() {
    assertThat(Logins.firstHop("x".repeat(500))).hasSize(Logins.MAX_CLIENT_KEY);
  }
}
