package com.mp3converter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mp3converter.shared.messages.FailureReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The monitoring component (k8s/components/monitoring) as it renders: the PodMonitor reaches every service's
 * management port, the Grafana dashboard is a labelled ConfigMap holding a dashboard, the failure-rate alert counts
 * exactly the reasons an operator must look at, and every alert has its runbook in docs/operations.md. That every
 * metric these objects query exists is checked against real scrapes in the launcher (MetricsScrapeTest).
 */
class MonitoringTest {
  private static final Pattern REASON_REGEX = Pattern.compile("mp3_jobs_failed_total\\{reason=~\"([^\"]+)\"}");

  private static Rendered monitoring() {
    return Renders.get("prod-monitoring");
  }

  private static List<JsonNode> ofKind(String kind) {
    return monitoring().objects().stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  @Test
  void thePodMonitorScrapesTheManagementPortOfEveryService() {
    List<JsonNode> monitors = ofKind("PodMonitor");
    assertThat(monitors).hasSize(1);
    JsonNode spec = monitors.get(0).path("spec");
    JsonNode endpoint = spec.path("podMetricsEndpoints").get(0);
    assertThat(endpoint.path("path").asText()).isEqualTo("/actuator/prometheus");
    String portName = endpoint.path("port").asText();
    JsonNode values = spec.path("selector").path("matchExpressions").get(0).path("values");
    Set<String> selected = new TreeSet<>();
    values.forEach(v -> selected.add(v.asText()));
    assertThat(selected).containsExactlyInAnyOrderElementsOf(Repo.SERVICES);

    for (JsonNode deployment : ofKind("Deployment")) {
      String name = deployment.path("metadata").path("name").asText();
      if (!Repo.SERVICES.contains(name)) {
        continue;
      }
      JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
      String managementPort = null;
      for (JsonNode env : container.path("env")) {
        if (env.path("name").asText().equals("MANAGEMENT_SERVER_PORT")) {
          managementPort = env.path("value").asText();
        }
      }
      List<String> named = new ArrayList<>();
      for (JsonNode port : container.path("ports")) {
        if (port.path("name").asText().equals(portName)) {
          named.add(port.path("containerPort").asText());
        }
      }
      assertThat(named).as(name + ": container port named " + portName).containsExactly(managementPort);
      assertThat(deployment.path("spec").path("template").path("metadata").path("labels")
          .path("app.kubernetes.io/name").asText()).isEqualTo(name);
    }
  }

  @Test
  void theDashboardIsALabelledConfigMapHoldingAGrafanaDashboard() throws Exception {
    List<JsonNode> dashboards = ofKind("ConfigMap").stream()
        .filter(c -> c.path("metadata").path("labels").has("grafana_dashboard")).toList();
    assertThat(dashboards).hasSize(1);
    JsonNode data = dashboards.get(0).path("data");
    assertThat(data.size()).isEqualTo(1);
    JsonNode dashboard = new ObjectMapper().readTree(data.elements().next().asText());
    assertThat(dashboard.path("uid").asText()).isEqualTo("mp3-converter");
    List<String> expressions = dashboard.findValuesAsText("expr");
    assertThat(expressions).hasSizeGreaterThan(10).allSatisfy(e -> assertThat(e).isNotBlank());
    Set<Integer> ids = new TreeSet<>();
    dashboard.path("panels").forEach(p -> assertThat(ids.add(p.path("id").asInt())).as("panel ids unique").isTrue());
  }

  @Test
  void theFailureRateAlertCountsExactlyTheReasonsAnOperatorMustLookAt() {
    JsonNode rule = alert("Mp3JobFailureRateHigh");
    Matcher m = REASON_REGEX.matcher(rule.path("expr").asText());
    assertThat(m.find()).as(rule.path("expr").asText()).isTrue();
    Set<String> operatorReasons = Arrays.stream(FailureReason.values()).filter(FailureReason::needsOperator)
        .map(FailureReason::code).collect(Collectors.toSet());
    assertThat(m.group(1).split("\\|")).containsExactlyInAnyOrderElementsOf(operatorReasons);
  }

  @Test
  void everyAlertHasASeverityAndARunbookInTheOperationsGuide() {
    String operations = Repo.read(Repo.root().resolve("docs/operations.md"));
    List<JsonNode> alerts = ofKind("PrometheusRule").stream()
        .flatMap(r -> r.path("spec").path("groups").findValues("rules").stream())
        .flatMap(rules -> java.util.stream.StreamSupport.stream(rules.spliterator(), false)).toList();
    assertThat(alerts).extracting(a -> a.path("alert").asText()).containsExactlyInAnyOrder(
        "Mp3DeadLettersPresent", "Mp3NoJobConsumers", "Mp3JobFailureRateHigh", "Mp3JobsStuckInProcessing");
    for (JsonNode alert : alerts) {
      String name = alert.path("alert").asText();
      assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
      assertThat(operations).as("docs/operations.md explains " + name).contains("`" + name + "`");
    }
  }

  private static JsonNode alert(String name) {
    return ofKind("PrometheusRule").stream()
        .flatMap(r -> r.path("spec").path("groups").findValues("rules").stream())
        .flatMap(rules -> java.util.stream.StreamSupport.stream(rules.spliterator(), false))
        .filter(a -> a.path("alert").asText().equals(name)).findFirst().orElseThrow();
  }
}
