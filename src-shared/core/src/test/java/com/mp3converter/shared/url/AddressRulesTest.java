package com.mp3converter.shared.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Verdicts over addresses only: nothing here connects anywhere. */
class AddressRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "127.0.0.1", "127.1.2.3", "0.0.0.0", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254",
      "192.168.1.1", "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.254", "192.0.0.170",
      "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
      "240.0.0.1", "255.255.255.255",
      "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
      "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:a9fe:a9fe::",
      "2001:db8::1", "2001::1", "fec0::1"})
  void refusesEverythingThatIsNotPublicUnicast(String literal) throws Exception {
    assertThat(AddressRules.isPublic(InetAddress.getByName(literal))).as(literal).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
      "169.253.255.255", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8",
      "64:ff9b::808:808", "2002:808:808::"})
  void allowsPublicAddresses(String literal) throws Exception {
    assertThat(AddressRules.isPublic(InetAddress.getByName(literal))).as(literal).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "localhost", "LOCALHOST", "localhost.", "foo.localhost", "metadata.google.internal", "metadata",
      "instance-data", "kubernetes.default.svc", "postgres.mp3.svc.cluster.local", "printer.local",
      "db.internal"})
  void refusesInternalNames(String host) {
    assertThat(AddressRules.isBlockedName(host)).as(host).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "cdn.example.org.", "localhost.example.com", "internal.example.com"})
  void allowsOrdinaryNames(String host) {
    assertThat(AddressRules.isBlockedName(host)).as(host).isFalse();
  }
}
