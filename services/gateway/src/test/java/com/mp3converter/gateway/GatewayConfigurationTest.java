package com.mp3converter.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class GatewayConfigurationTest {

  @Test
  void downloadTokenKeysAreBase64OfAtLeast32Bytes() {
    byte[] key = new byte[40];
    key[0] = (byte) 0xfb;
    key[1] = (byte) 0xff;
    assertThat(GatewayConfiguration.downloadTokenKey(Base64.getEncoder().encodeToString(key))).isEqualTo(key);
    assertThat(GatewayConfiguration.downloadTokenKey(Base64.getUrlEncoder().encodeToString(key))).isEqualTo(key);
    assertThatThrownBy(() -> GatewayConfiguration.downloadTokenKey(Base64.getEncoder().encodeToString(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayConfiguration.downloadTokenKey("not base64!"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutAKeyAnEphemeralOneIsMade() {
    byte[] first = GatewayConfiguration.downloadTokenKey("");
    assertThat(first).hasSize(32);
    assertThat(GatewayConfiguration.downloadTokenKey(null)).isNotEqualTo(first);
  }
}
