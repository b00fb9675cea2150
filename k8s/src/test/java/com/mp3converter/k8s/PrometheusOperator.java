package com.mp3converter.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of the Prometheus Operator's CRDs (monitoring.coreos.com/v1) that the monitoring component uses, as
 * closed records like {@link Keda}: a field not listed here fails the schema check instead of being pruned by the
 * API server. Field names are the operator's PodMonitor and PrometheusRule specs.
 */
final class PrometheusOperator {
  private PrometheusOperator() {}

  record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, PodMonitorSpec spec)
      implements Keda.Checked {
    @Override
    public List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (spec == null || spec.selector() == null) {
        return List.of("PodMonitor needs spec.selector");
      }
      if (spec.podMetricsEndpoints() == null || spec.podMetricsEndpoints().isEmpty()) {
        problems.add("PodMonitor needs at least one podMetricsEndpoint");
      } else {
        for (PodMetricsEndpoint endpoint : spec.podMetricsEndpoints()) {
          if (endpoint.port() == null && endpoint.portNumber() == null) {
            problems.add("podMetricsEndpoint needs port (a container port's name) or portNumber");
          }
        }
      }
      return problems;
    }
  }

  record PodMonitorSpec(
      String jobLabel,
      LabelSelector selector,
      NamespaceSelector namespaceSelector,
      List<PodMetricsEndpoint> podMetricsEndpoints,
      List<String> podTargetLabels) {}

  record NamespaceSelector(Boolean any, List<String> matchNames) {}

  record PodMetricsEndpoint(
      String port,
      Integer portNumber,
      String path,
      String scheme,
      String interval,
      String scrapeTimeout,
      Boolean honorLabels,
      Map<String, List<String>> params) {}

  record PrometheusRule(String apiVersion, String kind, ObjectMeta metadata, PrometheusRuleSpec spec)
      implements Keda.Checked {
    @Override
    public List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (spec == null || spec.groups() == null || spec.groups().isEmpty()) {
        return List.of("PrometheusRule needs at least one group");
      }
      for (RuleGroup group : spec.groups()) {
        for (Rule rule : group.rules()) {
          if ((rule.alert() == null) == (rule.record() == null)) {
            problems.add("a rule of group " + group.name() + " needs exactly one of alert and record");
          }
          if (rule.expr() == null || rule.expr().isBlank()) {
            problems.add("rule " + rule.alert() + " has no expr");
          }
        }
      }
      return problems;
    }
  }

  record PrometheusRuleSpec(List<RuleGroup> groups) {}

  record RuleGroup(String name, String interval, List<Rule> rules) {}

  record Rule(
      String alert,
      String record,
      String expr,
      @JsonProperty("for") String forDuration,
      @JsonProperty("keep_firing_for") String keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations) {}
}
