package com.mp3converter.shared.url;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The HTTP client's only way to turn a host into addresses. Every address of the answer is checked and the
 * client then connects to exactly those addresses, so a DNS answer cannot change between check and connect
 * (no rebinding). One non-public address refuses the whole host.
 */
public final class GuardedDnsResolver implements DnsResolver {
  private final SourceUrlPolicy policy;
  private final DnsResolver delegate;

  public GuardedDnsResolver(SourceUrlPolicy policy) {
    this(policy, SystemDefaultDnsResolver.INSTANCE);
  }

  public GuardedDnsResolver(SourceUrlPolicy policy, DnsResolver delegate) {
    this.policy = policy;
    this.delegate = delegate;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    if (policy.checksAddresses() && AddressRules.isBlockedName(host)) {
      throw new BlockedUrlException("The host " + host + " is not allowed.");
    }
    InetAddress[] addresses = delegate.resolve(host);
    return check(host, addresses);
  }

  /** The verdict over an already resolved answer; separate so tests can check it without any lookup. */
  public InetAddress[] check(String host, InetAddress[] addresses) throws BlockedUrlException {
    if (policy.checksAddresses()) {
      for (InetAddress address : addresses) {
        if (!AddressRules.isPublic(address)) {
          throw new BlockedUrlException(
              "The host " + host + " resolves to a non-public address (" + address.getHostAddress() + ").");
        }
      }
    }
    return Arrays.copyOf(addresses, addresses.length);
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    return delegate.resolveCanonicalHostname(host);
  }
}
