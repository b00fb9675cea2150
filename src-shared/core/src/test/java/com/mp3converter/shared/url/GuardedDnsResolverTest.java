package com.mp3converter.shared.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;

/** The resolver's verdict over answers a DNS server could give; the delegate is a fake, nothing is looked up. */
class GuardedDnsResolverTest {
  private static InetAddress[] answer(String... literals) throws Exception {
    InetAddress[] addresses = new InetAddress[literals.length];
    for (int i = 0; i < literals.length; i++) {
      addresses[i] = InetAddress.getByName(literals[i]);
    }
    return addresses;
  }

  /** A DNS server that gives this answer for every name. */
  private static DnsResolver dns(String... literals) throws Exception {
    InetAddress[] addresses = answer(literals);
    return new DnsResolver() {
      @Override
      public InetAddress[] resolve(String host) {
        return addresses;
      }

      @Override
      public String resolveCanonicalHostname(String host) {
        return host;
      }
    };
  }

  private final SourceUrlPolicy strict = SourceUrlPolicy.strict();

  @Test
  void publicAnswersPassUnchanged() throws Exception {
    var resolver = new GuardedDnsResolver(strict, dns("93.184.216.34", "2606:4700:4700::1111"));
    assertThat(resolver.resolve("ok.example.com")).extracting(InetAddress::getHostAddress)
        .containsExactly("93.184.216.34", "2606:4700:4700:0:0:0:0:1111");
  }

  @Test
  void allowPrivateRelaxesOnlyTheAddressCheck() throws Exception {
    var local = new SourceUrlPolicy(true, Set.of(80, 443), 2048);
    var resolver = new GuardedDnsResolver(local, dns("127.0.0.1"));
    assertThat(resolver.resolve("localhost")).hasSize(1);
  }
}
