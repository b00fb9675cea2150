package com.mp3converter.k8s;

import static com.mp3converter.k8s.Checks.assertNone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.k8s.NetworkPolicies.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The network-policies component allows exactly the flows of the design, and nothing else: every pair of pods in
 * the namespace on every container port, the outside callers (ingress controller, Prometheus, KEDA, anyone
 * else), and the outside destinations (public internet, private ranges, cloud metadata, cluster DNS).
 */
class NetworkFlowTest {
  /** Flows between the namespace's own pods: source -> destination:port. */
  static final Set<String> INTERNAL = Set.of(
      "gateway->auth:8080", "gateway->postgres:5432", "gateway->rabbitmq:5672", "gateway->minio:9000",
      "auth->postgres:5432", "auth->rabbitmq:5672",
      "worker->rabbitmq:5672", "worker->minio:9000",
      "notifier->rabbitmq:5672", "notifier->gateway:8080", "notifier->postgres:5432",
      "minio-bucket->minio:9000", "rabbitmq-users->rabbitmq:15672");

  private static final String PUBLIC_V4 = "93.184.216.34";
  private static final String PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946";
  private static final List<String> NOT_PUBLIC = List.of(
      "10.96.0.1", "10.244.3.7", "172.20.0.5", "192.168.1.1", "100.64.0.1", "127.0.0.1", "0.0.0.0",
      "169.254.169.254", "fd00:ec2::254", "fe80::1", "::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254");

  @Test
  void podsOfTheNamespaceReachExactlyTheDesignedPorts() {
    List<String> wrong = new ArrayList<>();
    for (Rendered r : withPolicies()) {
      NetworkPolicies np = policies(r);
      Map<String, Endpoint> pods = pods(r);
      for (Endpoint src : pods.values()) {
        for (Endpoint dst : pods.values()) {
          for (int port : dst.ports().values()) {
            String flow = src + "->" + dst + ":" + port;
            boolean allowed = np.allowed(src, dst, port, "TCP");
            if (allowed != INTERNAL.contains(flow)) {
              wrong.add(r + ": " + flow + (allowed ? " is allowed" : " is blocked"));
            }
          }
        }
      }
    }
    assertNone(wrong);
  }

  @Test
  void fromOutsideOnlyTheIngressControllerPrometheusAndKedaGetIn() {
    List<String> wrong = new ArrayList<>();
    for (Rendered r : withPolicies()) {
      NetworkPolicies np = policies(r);
      Set<String> expected = new java.util.HashSet<>(Set.of("ingress-nginx->gateway:8080"));
      if (r.has("prometheus-scrape")) {
        expected.addAll(Set.of("monitoring->auth:9090", "monitoring->gateway:9090", "monitoring->worker:9090",
            "monitoring->notifier:9090", "monitoring->rabbitmq:15692", "monitoring->minio:9000"));
      }
      if (r.has("worker-keda")) {
        expected.add("keda->rabbitmq:15672");
      }
      if (r.has("monitoring")) {
        expected.addAll(Set.of("monitoring->auth:9090", "monitoring->gateway:9090", "monitoring->worker:9090",
            "monitoring->notifier:9090"));
      }
      List<Endpoint> outside = List.of(
          Endpoint.pod("ingress-nginx", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"),
              "10.244.9.1", Map.of()),
          Endpoint.pod("monitoring", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"), "10.244.9.2",
              Map.of()),
          Endpoint.pod("keda", "keda", Map.of("app", "keda-operator"), "10.244.9.3", Map.of()),
          Endpoint.pod("other", "default", Map.of("app.kubernetes.io/name", "gateway"), "10.244.9.4", Map.of()),
          Endpoint.address(PUBLIC_V4));
      for (Endpoint src : outside) {
        for (Endpoint dst : pods(r).values()) {
          for (int port : dst.ports().values()) {
            String flow = src + "->" + dst + ":" + port;
            boolean allowed = np.allowed(src, dst, port, "TCP");
            if (allowed != expected.contains(flow)) {
              wrong.add(r + ": " + flow + (allowed ? " is allowed" : " is blocked"));
            }
          }
        }
      }
    }
    assertNone(wrong);
  }

  @Test
  void outboundOnlyWorkerAndNotifierReachThePublicInternetAndEveryPodReachesDns() {
    List<String> wrong = new ArrayList<>();
    Map<String, Set<Integer>> publicPorts = Map.of("worker", Set.of(80, 443), "notifier", Set.of(443));
    Endpoint dns = Endpoint.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"), "10.96.0.10",
        Map.of("dns", 53));
    for (Rendered r : withPolicies()) {
      NetworkPolicies np = policies(r);
      for (Endpoint src : pods(r).values()) {
        Set<Integer> open = publicPorts.getOrDefault(src.name(), Set.of());
        for (String ip : List.of(PUBLIC_V4, PUBLIC_V6)) {
          for (int port : List.of(22, 80, 443, 8080, 5432)) {
            boolean allowed = np.allowed(src, Endpoint.address(ip), port, "TCP");
            if (allowed != open.contains(port)) {
              wrong.add(r + ": " + src + " -> " + ip + ":" + port + (allowed ? " is allowed" : " is blocked"));
            }
          }
        }
        for (String ip : NOT_PUBLIC) {
          for (int port : List.of(80, 443)) {
            if (np.allowed(src, Endpoint.address(ip), port, "TCP")) {
              wrong.add(r + ": " + src + " -> " + ip + ":" + port + " is allowed (not a public address)");
            }
          }
        }
        for (String protocol : List.of("UDP", "TCP")) {
          if (!np.allowed(src, dns, 53, protocol)) {
            wrong.add(r + ": " + src + " cannot resolve names (DNS " + protocol + ")");
          }
        }
        if (np.allowed(src, dns, 443, "TCP")) {
          wrong.add(r + ": " + src + " reaches kube-dns beyond port 53");
        }
      }
    }
    assertNone(wrong);
  }

  @Test
  void theEvaluatorOpensWhatNoPolicySelectsAndClosesUnderDefaultDeny() {
    Endpoint a = Endpoint.pod("a", "mp3", Map.of("app.kubernetes.io/name", "a"), "10.244.0.1", Map.of());
    Endpoint b = Endpoint.pod("b", "mp3", Map.of("app.kubernetes.io/name", "b"), "10.244.0.2", Map.of("http", 80));
    assertThat(new NetworkPolicies("mp3", List.of()).allowed(a, b, 80, "TCP")).isTrue();
    JsonNode deny = Yaml.document("spec: {podSelector: {}, policyTypes: [Ingress, Egress]}");
    assertThat(new NetworkPolicies("mp3", List.of(deny)).allowed(a, b, 80, "TCP")).isFalse();
    JsonNode allowNamed = Yaml.document("""
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
          ingress: [{ports: [{port: http}]}]
          egress: [{to: [{podSelector: {matchLabels: {app.kubernetes.io/name: b}}}]}]
        """);
    NetworkPolicies np = new NetworkPolicies("mp3", List.of(deny, allowNamed));
    assertThat(np.allowed(a, b, 80, "TCP")).isTrue();
    assertThat(np.allowed(a, b, 80, "UDP")).isFalse();
    assertThat(np.allowed(b, a, 80, "TCP")).isFalse();
    assertThat(NetworkPolicies.inCidr("10.1.2.3", "10.0.0.0/8")).isTrue();
    assertThat(NetworkPolicies.inCidr("11.1.2.3", "10.0.0.0/8")).isFalse();
    assertThat(NetworkPolicies.inCidr("::ffff:10.0.0.1", "::ffff:0:0/96")).isTrue();
    assertThat(NetworkPolicies.inCidr("::ffff:10.0.0.1", "0.0.0.0/0")).isFalse();
    assertThat(NetworkPolicies.inCidr("fd00:ec2::254", "fc00::/7")).isTrue();
  }

  private static List<Rendered> withPolicies() {
    List<Rendered> variants = Renders.all().stream().filter(r -> r.has("network-policies")).toList();
    assertThat(variants).as("variants with the network-policies component").isNotEmpty();
    return variants;
  }

  private static NetworkPolicies policies(Rendered r) {
    return new NetworkPolicies("mp3", r.kind("NetworkPolicy"));
  }

  /** Every workload's pod, at a made-up address in a typical pod range. */
  private static Map<String, Endpoint> pods(Rendered r) {
    Map<String, Endpoint> pods = new LinkedHashMap<>();
    int i = 10;
    for (Workload w : r.workloads()) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (JsonNode c : w.containers()) {
        for (JsonNode p : c.path("ports")) {
          ports.put(p.path("name").asText("port-" + p.path("containerPort").asInt()), p.path("containerPort").asInt());
        }
      }
      pods.put(w.name(), Endpoint.pod(w.name(), "mp3", w.podLabels(), "10.244.1." + i++, ports));
    }
    return pods;
  }
}
