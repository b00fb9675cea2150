package com.mp3converter.shared.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile source URLs and DNS answers against the shared guard, with private sources refused (production). Nothing
 * here connects anywhere or asks a real DNS server: literals are parsed by the JDK, "DNS" answers are given.
 */
class UrlHostileInputTest {
  private final SourceUrlPolicy strict = SourceUrlPolicy.strict();

  @ParameterizedTest
  @ValueSource(strings = {
      // schemes
      "ftp://example.com/a.wav", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)",
      "data:audio/wav;base64,AAAA", "jar:http://example.com/a.jar!/a.wav", "netdoc:///etc/passwd",
      "//example.com/a.wav", "example.com/a.wav", "http:///a.wav", "http:/example.com/a.wav",
      // user info, and what parsers disagree about
      "http://user:pass@example.com/a.wav", "http://user@example.com/a.wav", "http://example.com@127.0.0.1/a.wav",
      "http://127.0.0.1%2f@example.com/a.wav", "http://127.0.0.1\\@example.com/a.wav",
      "http://example.com\\@127.0.0.1/a.wav", "http://127.0.0.1#@example.com/a.wav",
      "http://127.0.0.1?@example.com/a.wav", "http://%31%32%37.0.0.1/a.wav",
      // ports
      "http://example.com:8080/a.wav", "http://example.com:22/a.wav", "https://example.com:8443/a.wav",
      "http://example.com:6379/", "http://example.com:65536/a.wav",
      // IPv4 loopback in every spelling
      "http://127.0.0.1/a.wav", "http://127.1/a.wav", "http://127.0.1/a.wav", "http://2130706433/a.wav",
      "http://0x7f000001/a.wav", "http://0177.0.0.1/a.wav", "http://0x7f.0.0.1/a.wav", "http://0x7f.0x0.0x0.0x1/a.wav",
      "http://017700000001/a.wav", "http://127.000.000.001/a.wav", "http://0/a.wav", "http://0.0.0.0/a.wav",
      "http://127.0.0.1./a.wav",
      // private, link-local, metadata, CGNAT, multicast, broadcast
      "http://10.0.0.1/a.wav", "http://172.16.0.1/a.wav", "http://192.168.0.1/a.wav",
      "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/a.wav", "http://224.0.0.1/a.wav",
      "http://255.255.255.255/a.wav",
      // IPv6 and IPv4 inside IPv6
      "http://[::1]/a.wav", "http://[::]/a.wav", "http://[0:0:0:0:0:0:0:1]/a.wav", "http://[::ffff:127.0.0.1]/a.wav",
      "http://[::ffff:7f00:1]/a.wav", "http://[0:0:0:0:0:ffff:7f00:1]/a.wav", "http://[::127.0.0.1]/a.wav",
      "http://[64:ff9b::7f00:1]/a.wav", "http://[2002:7f00:1::]/a.wav", "http://[::ffff:169.254.169.254]/",
      "http://[fd00:ec2::254]/", "http://[fe80::1]/a.wav",
      // zone ids
      "http://[fe80::1%25eth0]/a.wav", "http://[fe80::1%eth0]/a.wav", "http://[::1%251]/a.wav",
      // names
      "http://localhost/a.wav", "http://localhost./a.wav", "http://LOCALHOST/a.wav", "http://foo.localhost/a.wav",
      "http://metadata.google.internal/computeMetadata/v1/", "http://metadata/", "http://instance-data/",
      "http://kubernetes.default.svc/", "http://minio.mp3.svc.cluster.local/", "http://printer.local/",
      "http://\u24db\u24de\u24d2\u24d0\u24db\u24d7\u24de\u24e2\u24e3/a.wav",
      // malformed hosts
      "http://a..b/x", "http://exa mple.com/a.wav", "http://-example.com/a.wav", " ", ""})
  void theUrlIsRefused(String url) {
    assertThatThrownBy(() -> strict.check(url)).as(url).isInstanceOf(BlockedUrlException.class);
  }

  @Test
  void a10KbUrlIsRefused() {
    String url = "https://example.com/" + "a".repeat(10_000);
    assertThatThrownBy(() -> strict.check(url)).isInstanceOf(BlockedUrlException.class).hasMessageContaining("longer");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://example.com#@127.0.0.1/a.wav", "http://example.com/#http://127.0.0.1/", "http://example.com/a.wav#@[::1]"})
  void aFragmentNeverChangesTheHostAndIsDropped(String url) throws Exception {
    var checked = strict.check(url);

    assertThat(checked.getHost()).isEqualTo("example.com");
    assertThat(checked.getRawFragment()).isNull();
    assertThat(checked.toString()).doesNotContain("127.0.0.1", "::1", "#");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "127.0.0.1", "127.1.2.3", "0.0.0.0", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254",
      "192.168.1.1", "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.254", "192.0.0.170",
      "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
      "240.0.0.1", "255.255.255.255",
      "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
      "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:a9fe:a9fe::",
      "2001:db8::1", "2001::1", "fec0::1"})
  void theResolvedAddressIsNotPublic(String literal) throws Exception {
    assertThat(AddressRules.isPublic(InetAddress.getByName(literal))).as(literal).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "localhost", "LOCALHOST", "localhost.", "foo.localhost", "metadata.google.internal", "metadata",
      "instance-data", "kubernetes.default.svc", "postgres.mp3.svc.cluster.local", "printer.local",
      "db.internal"})
  void theNameIsRefusedWhatever(String host) {
    assertThat(AddressRules.isBlockedName(host)).as(host).isTrue();
  }

  @Test
  void aNameThatResolvesToLoopbackIsRefused() throws Exception {
    var resolver = new GuardedDnsResolver(strict, dns("127.0.0.1"));
    assertThatThrownBy(() -> resolver.resolve("evil.example.com"))
        .isInstanceOf(BlockedUrlException.class)
        .hasMessageContaining("non-public");
  }

  @Test
  void oneBadAddressAmongGoodOnesRefusesTheHost() throws Exception {
    var resolver = new GuardedDnsResolver(strict, dns("93.184.216.34", "169.254.169.254"));
    assertThatThrownBy(() -> resolver.resolve("mixed.example.com")).isInstanceOf(BlockedUrlException.class);
  }

  @Test
  void metadataNamesAreRefusedBeforeAnyLookup() {
    var resolver = new GuardedDnsResolver(strict, new DnsResolver() {
      @Override
      public InetAddress[] resolve(String host) {
        throw new AssertionError("must not resolve " + host);
      }

      @Override
      public String resolveCanonicalHostname(String host) {
        return host;
      }
    });
    assertThatThrownBy(() -> resolver.resolve("metadata.google.internal")).isInstanceOf(BlockedUrlException.class);
  }

  /** A DNS server that gives this answer for every name. */
  static DnsResolver dns(String... literals) throws Exception {
    InetAddress[] addresses = new InetAddress[literals.length];
    for (int i = 0; i < literals.length; i++) {
      addresses[i] = InetAddress.getByName(literals[i]);
    }
    return new DnsResolver() {
      @Override
      public InetAddress[] resolve(String host) {
        return addresses.clone();
      }

      @Override
      public String resolveCanonicalHostname(String host) {
        return host;
      }
    };
  }
}
