package com.mp3converter.worker.routes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.DnsResolver;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The route tests' DNS: address literals and one made-up name that points at loopback; every other name is
 * unknown. So no test (nor a stray job another suite left on the shared broker) makes the worker ask a real
 * DNS server. The guarded resolver still checks whatever this answers.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestDns {
  /** Resolves to 127.0.0.1: a name that passes the URL check and is caught at connect time. */
  static final String LOOPBACK_NAME = "canary.example";

  private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  @Bean
  @Primary
  DnsResolver testDnsResolver() {
    return new DnsResolver() {
      @Override
      public InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.equals(LOOPBACK_NAME)) {
          return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        }
        if (IPV4_LITERAL.matcher(host).matches() || host.contains(":")) {
          // A literal: the JDK parses it without a lookup.
          return new InetAddress[] {InetAddress.getByName(host)};
        }
        throw new UnknownHostException(host + " (the tests resolve no names)");
      }

      @Override
      public String resolveCanonicalHostname(String host) {
        return host;
      }
    };
  }
}
