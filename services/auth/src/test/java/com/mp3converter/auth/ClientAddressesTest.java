package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {
  @Test
  void theClientIsTheFirstForwardedHop() {
    assertThat(ClientAddresses.firstHop("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientAddresses.firstHop(" 203.0.113.7 , 10.0.0.1, 10.0.0.2")).isEqualTo("203.0.113.7");
    assertThat(ClientAddresses.firstHop("2001:db8::1, 10.0.0.1")).isEqualTo("2001:db8::1");
    assertThat(ClientAddresses.firstHop(List.of("198.51.100.4", "10.0.0.1"))).isEqualTo("198.51.100.4");
  }

  @Test
  void absentOrEmptyHeadersFallBackToThePeer() {
    assertThat(ClientAddresses.firstHop(null)).isNull();
    assertThat(ClientAddresses.firstHop("")).isNull();
    assertThat(ClientAddresses.firstHop(" , 10.0.0.1")).isNull();
    assertThat(ClientAddresses.firstHop(List.of())).isNull();
  }

  @Test
  void overlongValuesAreCut() {
    assertThat(ClientAddresses.firstHop("x".repeat(500))).hasSize(ClientAddresses.MAX_CLIENT_KEY);
  }
}
