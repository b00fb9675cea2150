package com.mp3converter.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Evaluates Kubernetes NetworkPolicy semantics for one namespace: a connection is allowed when the source's
 * egress and the destination's ingress both allow it; a pod no policy of a direction selects is open in that
 * direction; peers are pod and namespace selectors and IP blocks; ports are numbers or names of the
 * destination's container ports, TCP by default.
 */
final class NetworkPolicies {
  /** A pod (name, namespace, labels, IP, named ports) or an outside address (no labels, an IP only). */
  record Endpoint(String name, String namespace, Map<String, String> labels, String ip, Map<String, Integer> ports) {
    static Endpoint pod(String name, String namespace, Map<String, String> labels, String ip,
        Map<String, Integer> ports) {
      return new Endpoint(name, namespace, labels, ip, ports);
    }

    static Endpoint address(String ip) {
      return new Endpoint(ip, null, null, ip, Map.of());
    }

    boolean isPod() {
      return namespace != null;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final String namespace;
  private final List<JsonNode> policies;

  NetworkPolicies(String namespace, List<JsonNode> policies) {
    this.namespace = namespace;
    this.policies = policies;
  }

  boolean allowed(Endpoint src, Endpoint dst, int port, String protocol) {
    return egressAllows(src, dst, port, protocol) && ingressAllows(src, dst, port, protocol);
  }

  private boolean egressAllows(Endpoint src, Endpoint dst, int port, String protocol) {
    if (!src.isPod() || !src.namespace().equals(namespace)) {
      return true;
    }
    List<JsonNode> selecting = selecting(src, "Egress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (JsonNode p : selecting) {
      for (JsonNode rule : p.path("spec").path("egress")) {
        if (peersMatch(rule.path("to"), dst) && portsMatch(rule.path("ports"), dst, port, protocol)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean ingressAllows(Endpoint src, Endpoint dst, int port, String protocol) {
    if (!dst.isPod() || !dst.namespace().equals(namespace)) {
      return true;
    }
    List<JsonNode> selecting = selecting(dst, "Ingress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (JsonNode p : selecting) {
      for (JsonNode rule : p.path("spec").path("ingress")) {
        if (peersMatch(rule.path("from"), src) && portsMatch(rule.path("ports"), dst, port, protocol)) {
          return true;
        }
      }
    }
    return false;
  }

  private List<JsonNode> selecting(Endpoint pod, String type) {
    return policies.stream()
        .filter(p -> Checks.selects(p.path("spec").path("podSelector"), pod.labels()))
        .filter(p -> policyTypes(p).contains(type))
        .toList();
  }

  private static List<String> policyTypes(JsonNode policy) {
    JsonNode types = policy.path("spec").path("policyTypes");
    if (types.isMissingNode()) {
      return policy.path("spec").has("egress") ? List.of("Ingress", "Egress") : List.of("Ingress");
    }
    return java.util.stream.StreamSupport.stream(types.spliterator(), false).map(JsonNode::asText).toList();
  }

  /** Absent or empty peers: everyone. */
  private boolean peersMatch(JsonNode peers, Endpoint ep) {
    if (peers.isMissingNode() || peers.isEmpty()) {
      return true;
    }
    for (JsonNode peer : peers) {
      if (peer.has("ipBlock")) {
        if (inBlock(ep.ip(), peer.path("ipBlock"))) {
          return true;
        }
      } else if (ep.isPod()) {
        boolean nsOk = peer.has("namespaceSelector")
            ? Checks.selects(peer.path("namespaceSelector"), Map.of("kubernetes.io/metadata.name", ep.namespace()))
            : ep.namespace().equals(namespace);
        boolean podOk = !peer.has("podSelector") || Checks.selects(peer.path("podSelector"), ep.labels());
        if (nsOk && podOk) {
          return true;
        }
      }
    }
    return false;
  }

  /** Absent or empty ports: every port. Named ports are the destination pod's. */
  private static boolean portsMatch(JsonNode ports, Endpoint dst, int port, String protocol) {
    if (ports.isMissingNode() || ports.isEmpty()) {
      return true;
    }
    for (JsonNode p : ports) {
      if (!p.path("protocol").asText("TCP").equals(protocol)) {
        continue;
      }
      JsonNode number = p.path("port");
      if (number.isMissingNode()) {
        return true;
      }
      int from = number.isInt() ? number.asInt() : dst.ports().getOrDefault(number.asText(), -1);
      int to = p.path("endPort").asInt(from);
      if (port >= from && port <= to) {
        return true;
      }
    }
    return false;
  }

  static boolean inBlock(String ip, JsonNode block) {
    if (!inCidr(ip, block.path("cidr").asText())) {
      return false;
    }
    for (JsonNode except : block.path("except")) {
      if (inCidr(ip, except.asText())) {
        return false;
      }
    }
    return true;
  }

  static boolean inCidr(String ip, String cidr) {
    String[] parts = cidr.split("/");
    byte[] addr = bytes(ip);
    byte[] net = bytes(parts[0]);
    if (addr.length != net.length) {
      return false;
    }
    int bits = Integer.parseInt(parts[1]);
    int total = addr.length * 8;
    BigInteger mask = bits == 0 ? BigInteger.ZERO
        : BigInteger.ONE.shiftLeft(total).subtract(BigInteger.ONE).shiftRight(total - bits).shiftLeft(total - bits);
    return new BigInteger(1, addr).and(mask).equals(new BigInteger(1, net).and(mask));
  }

  private static byte[] bytes(String literal) {
    try {
      byte[] b = InetAddress.getByName(literal).getAddress();
      // IPv4-mapped literals come back as 4 bytes from Java: keep them in the IPv6 space they were written in.
      if (b.length == 4 && literal.contains(":")) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(b, 0, v6, 12, 4);
        return v6;
      }
      return b;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + literal, e);
    }
  }
}
