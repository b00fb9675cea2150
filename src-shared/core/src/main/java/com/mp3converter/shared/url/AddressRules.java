package com.mp3converter.shared.url;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which resolved addresses a source download may connect to: public unicast only. Everything that reaches
 * this host, the cluster's private networks, link-local (cloud metadata), CGNAT, multicast, reserved and
 * documentation ranges is refused, including IPv4 addresses embedded in IPv6 forms (mapped, compatible,
 * NAT64, 6to4, Teredo).
 */
public final class AddressRules {
  private record Cidr(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private static final List<Cidr> BLOCKED_V4 = cidrs(
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
      "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
      "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");

  private static final List<Cidr> BLOCKED_V6 = cidrs(
      "::/128", "::1/128", "100::/64", "2001:db8::/32", "2001::/32", "fc00::/7", "fe80::/10", "fec0::/10",
      "ff00::/8");

  /** IPv6 prefixes that carry an IPv4 address in their last 32 bits (checked against the IPv4 rules). */
  private static final List<Cidr> EMBEDS_V4_LAST32 = cidrs("::ffff:0:0/96", "::/96", "64:ff9b::/96", "64:ff9b:1::/48");

  private static final Cidr SIX_TO_FOUR = cidr("2002::/16");

  /** Names that resolve to metadata services inside clouds, refused before any lookup. */
  private static final Set<String> BLOCKED_NAMES = Set.of(
      "localhost", "metadata", "metadata.google.internal", "metadata.goog", "instance-data",
      "instance-data.ec2.internal", "kubernetes", "kubernetes.default", "kubernetes.default.svc");

  private AddressRules() {}

  public static boolean isPublic(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return BLOCKED_V4.stream().noneMatch(c -> c.contains(bytes));
    }
    if (address instanceof Inet6Address) {
      if (BLOCKED_V6.stream().anyMatch(c -> c.contains(bytes))) {
        return false;
      }
      if (EMBEDS_V4_LAST32.stream().anyMatch(c -> c.contains(bytes))) {
        return isPublic(v4(Arrays.copyOfRange(bytes, 12, 16)));
      }
      if (SIX_TO_FOUR.contains(bytes)) {
        return isPublic(v4(Arrays.copyOfRange(bytes, 2, 6)));
      }
      return true;
    }
    return false;
  }

  /** Host names refused by name (trailing dots and case ignored), whatever they resolve to. */
  public static boolean isBlockedName(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    while (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return BLOCKED_NAMES.contains(name)
        || name.endsWith(".localhost")
        || name.endsWith(".internal")
        || name.endsWith(".local")
        || name.endsWith(".svc.cluster.local")
        || name.endsWith(".cluster.local");
  }

  private static InetAddress v4(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Cidr> cidrs(String... specs) {
    return Arrays.stream(specs).map(AddressRules::cidr).toList();
  }

  private static Cidr cidr(String spec) {
    String[] parts = spec.split("/");
    try {
      byte[] network = InetAddress.getByName(parts[0]).getAddress();
      if (network.length == 4 && parts[0].contains(":")) {
        // The JDK turns ::ffff:a.b.c.d into an IPv4 address; keep the IPv6 form for the prefix match.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(network, 0, mapped, 12, 4);
        network = mapped;
      }
      return new Cidr(network, Integer.parseInt(parts[1]));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(spec, e);
    }
  }
}
