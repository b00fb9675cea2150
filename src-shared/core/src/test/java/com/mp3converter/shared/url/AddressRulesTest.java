package com.mp3converter.shared.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Verdicts over addresses only, the ones that pass: the refusals are in UrlHostileInputTest. */
class AddressRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
      "169.253.255.255", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8",
      "64:ff9b::808:808", "2002:808:808::"})
  void allowsPublicAddresses(String literal) throws Exception {
    assertThat(AddressRules.isPublic(InetAddress.getByName(literal))).as(literal).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "cdn.example.org.", "localhost.example.com", "internal.example.com"})
  void allowsOrdinaryNames(String host) {
    assertThat(AddressRules.isBlockedName(host)).as(host).isFalse();
  }
}
