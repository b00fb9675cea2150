package com.mp3converter.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Deployment, StatefulSet or Job of a rendered variant, seen through its pod template. */
record Workload(Rendered variant, JsonNode object) {
  String kind() {
    return object.path("kind").asText();
  }

  String name() {
    return object.path("metadata").path("name").asText();
  }

  String id() {
    return variant.name() + ": " + kind() + "/" + name();
  }

  /** Long-running pods (probes, PDBs, anti-affinity apply); a Job's pod runs to completion. */
  boolean longRunning() {
    return !kind().equals("Job") && !kind().equals("CronJob");
  }

  JsonNode template() {
    if (kind().equals("CronJob")) {
      return object.path("spec").path("jobTemplate").path("spec").path("template");
    }
    return object.path("spec").path("template");
  }

  JsonNode podSpec() {
    return template().path("spec");
  }

  Map<String, String> podLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    template().path("metadata").path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  List<JsonNode> containers() {
    List<JsonNode> all = new ArrayList<>();
    podSpec().path("initContainers").forEach(all::add);
    podSpec().path("containers").forEach(all::add);
    return all;
  }

  /** The main container: the one named like the workload, else the first. */
  JsonNode mainContainer() {
    for (JsonNode c : podSpec().path("containers")) {
      if (name().equals(c.path("name").asText())) {
        return c;
      }
    }
    return podSpec().path("containers").path(0);
  }

  /** Container port number for a port name or number (as a probe or Service targetPort gives it), or -1. */
  int containerPort(JsonNode port) {
    if (port.isInt()) {
      for (JsonNode c : containers()) {
        for (JsonNode p : c.path("ports")) {
          if (p.path("containerPort").asInt() == port.asInt()) {
            return port.asInt();
          }
        }
      }
      return -1;
    }
    for (JsonNode c : containers()) {
      for (JsonNode p : c.path("ports")) {
        if (port.asText().equals(p.path("name").asText())) {
          return p.path("containerPort").asInt();
        }
      }
    }
    return -1;
  }

  int replicas() {
    JsonNode r = object.path("spec").path("replicas");
    return r.isMissingNode() ? 1 : r.asInt();
  }

  @Override
  public String toString() {
    return id();
  }
}
