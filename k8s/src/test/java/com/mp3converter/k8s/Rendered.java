package com.mp3converter.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One rendered variant: the objects `kubectl kustomize` printed for it, and the components it was built with. */
record Rendered(String name, List<String> components, List<JsonNode> objects) {
  static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob");

  boolean has(String component) {
    return components.contains(component);
  }

  boolean isProd() {
    return name.startsWith("prod");
  }

  List<JsonNode> kind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return kind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError(this.name + ": no " + kind + "/" + name));
  }

  List<Workload> workloads() {
    List<Workload> out = new ArrayList<>();
    for (JsonNode o : objects) {
      if (WORKLOAD_KINDS.contains(o.path("kind").asText())) {
        out.add(new Workload(this, o));
      }
    }
    return out;
  }

  Workload workload(String name) {
    return workloads().stream().filter(w -> w.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(this.name + ": no workload " + name));
  }

  /** The ConfigMap or Secret named (after kustomize's hash suffix was applied, so the name as referenced). */
  Optional<JsonNode> configMap(String name) {
    return find("ConfigMap", name);
  }

  Optional<JsonNode> secret(String name) {
    return find("Secret", name);
  }

  @Override
  public String toString() {
    return name;
  }
}
