package com.mp3converter.k8s;

import static com.mp3converter.k8s.Checks.assertNone;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Security and operability rules over every rendered variant, one rule per test, in the spirit of kube-score and
 * kube-linter. Each test lists every violation it finds (variant, object, container) rather than the first.
 */
class PolicyTest {
  private static final Pattern VERSION_TAG = Pattern.compile("\\d+\\.\\d+\\.\\d+([.-][A-Za-z0-9._-]+)?");

  /** Visits every container of every workload of every variant. */
  private static List<String> eachContainer(TriConsumer check) {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      for (Workload w : r.workloads()) {
        for (JsonNode c : w.containers()) {
          check.accept(w, c, v -> violations.add(w.id() + " container " + c.path("name").asText() + ": " + v));
        }
      }
    }
    return violations;
  }

  private static List<String> eachWorkload(BiConsumer<Workload, java.util.function.Consumer<String>> check) {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      for (Workload w : r.workloads()) {
        check.accept(w, v -> violations.add(w.id() + ": " + v));
      }
    }
    return violations;
  }

  interface TriConsumer {
    void accept(Workload w, JsonNode container, java.util.function.Consumer<String> violation);
  }

  /** A container's security setting, else the pod's. */
  private static JsonNode effective(Workload w, JsonNode c, String field) {
    JsonNode own = c.path("securityContext").path(field);
    return own.isMissingNode() || own.isNull() ? w.podSpec().path("securityContext").path(field) : own;
  }

  @Test
  void resourceRequestsAndLimitsAreSet() {
    assertNone(eachContainer((w, c, v) -> {
      for (String resource : List.of("cpu", "memory")) {
        JsonNode request = c.path("resources").path("requests").path(resource);
        JsonNode limit = c.path("resources").path("limits").path(resource);
        if (request.isMissingNode()) {
          v.accept("no " + resource + " request");
        }
        if (limit.isMissingNode()) {
          v.accept("no " + resource + " limit");
        }
        if (!request.isMissingNode() && !limit.isMissingNode() && amount(request).compareTo(amount(limit)) > 0) {
          v.accept(resource + " request " + request.asText() + " above its limit " + limit.asText());
        }
      }
    }));
  }

  @Test
  void longRunningContainersHaveLivenessAndReadinessProbes() {
    assertNone(eachWorkload((w, v) -> {
      if (!w.longRunning()) {
        return;
      }
      for (JsonNode c : w.podSpec().path("containers")) {
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
          if (c.path(probe).isMissingNode()) {
            v.accept("container " + c.path("name").asText() + " has no " + probe);
          }
        }
      }
    }));
  }

  @Test
  void containersRunAsANonRootUser() {
    assertNone(eachContainer((w, c, v) -> {
      if (!effective(w, c, "runAsNonRoot").asBoolean(false)) {
        v.accept("runAsNonRoot is not true");
      }
      JsonNode user = effective(w, c, "runAsUser");
      if (!user.isInt() || user.asInt() == 0) {
        v.accept("runAsUser must be a non-zero uid, is " + user);
      }
    }));
  }

  @Test
  void rootFilesystemIsReadOnly() {
    assertNone(eachContainer((w, c, v) -> {
      if (!c.path("securityContext").path("readOnlyRootFilesystem").asBoolean(false)) {
        v.accept("readOnlyRootFilesystem is not true");
      }
    }));
  }

  @Test
  void noPrivilegeEscalation() {
    assertNone(eachContainer((w, c, v) -> {
      if (c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)) {
        v.accept("allowPrivilegeEscalation is not false");
      }
      if (c.path("securityContext").path("privileged").asBoolean(false)) {
        v.accept("privileged");
      }
    }));
  }

  @Test
  void allCapabilitiesAreDropped() {
    assertNone(eachContainer((w, c, v) -> {
      JsonNode caps = c.path("securityContext").path("capabilities");
      boolean dropsAll = false;
      for (JsonNode d : caps.path("drop")) {
        dropsAll |= d.asText().equals("ALL");
      }
      if (!dropsAll) {
        v.accept("capabilities.drop does not hold ALL");
      }
      if (caps.path("add").size() > 0) {
        v.accept("adds capabilities " + caps.path("add"));
      }
    }));
  }

  @Test
  void seccompProfileIsRuntimeDefault() {
    assertNone(eachContainer((w, c, v) -> {
      String type = effective(w, c, "seccompProfile").path("type").asText();
      if (!type.equals("RuntimeDefault") && !type.equals("Localhost")) {
        v.accept("seccompProfile.type is '" + type + "', not RuntimeDefault");
      }
    }));
  }

  @Test
  void imagesArePinnedNeverLatestOrUntagged() {
    assertNone(eachContainer((w, c, v) -> {
      String image = c.path("image").asText();
      Image parsed = Image.parse(image);
      if (parsed.digest() == null && (parsed.tag() == null || parsed.tag().equals("latest"))) {
        v.accept("image " + image + " is untagged or latest");
      }
      if (w.variant().isProd() && parsed.repository().contains("mp3-converter/") && parsed.digest() == null
          && !VERSION_TAG.matcher(parsed.tag()).matches()) {
        v.accept("prod image " + image + " must carry a version tag or a digest");
      }
    }));
  }

  @Test
  void noHostNamespacesHostPathsOrHostPorts() {
    assertNone(eachWorkload((w, v) -> {
      for (String f : List.of("hostNetwork", "hostPID", "hostIPC")) {
        if (w.podSpec().path(f).asBoolean(false)) {
          v.accept(f);
        }
      }
      for (JsonNode vol : w.podSpec().path("volumes")) {
        if (vol.has("hostPath")) {
          v.accept("hostPath volume " + vol.path("name").asText());
        }
      }
      for (JsonNode c : w.containers()) {
        for (JsonNode p : c.path("ports")) {
          if (p.has("hostPort")) {
            v.accept("hostPort on " + c.path("name").asText());
          }
        }
      }
    }));
  }

  @Test
  void serviceAccountTokenIsNotMounted() {
    List<String> violations = eachWorkload((w, v) -> {
      if (w.podSpec().path("automountServiceAccountToken").asBoolean(true)) {
        v.accept("automountServiceAccountToken is not false on the pod");
      }
      String sa = w.podSpec().path("serviceAccountName").asText("default");
      if (sa.isEmpty() || sa.equals("default")) {
        v.accept("runs under the namespace's default ServiceAccount");
      } else if (w.variant().find("ServiceAccount", sa).isEmpty()) {
        v.accept("ServiceAccount " + sa + " is not rendered");
      }
    });
    for (Rendered r : Renders.all()) {
      for (JsonNode sa : r.kind("ServiceAccount")) {
        if (sa.path("automountServiceAccountToken").asBoolean(true)) {
          violations.add(r + ": ServiceAccount/" + Checks.name(sa) + " automounts its token");
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void writableTempSpaceIsABoundedEmptyDir() {
    assertNone(eachContainer((w, c, v) -> {
      boolean tmp = false;
      for (JsonNode m : c.path("volumeMounts")) {
        if (m.path("mountPath").asText().equals("/tmp")) {
          Optional<JsonNode> vol = volume(w, m.path("name").asText());
          tmp = vol.isPresent() && vol.get().has("emptyDir");
        }
      }
      if (!tmp) {
        v.accept("no emptyDir at /tmp (the root filesystem is read-only)");
      }
    }));
    assertNone(eachWorkload((w, v) -> {
      for (JsonNode vol : w.podSpec().path("volumes")) {
        if (vol.has("emptyDir") && vol.path("emptyDir").path("sizeLimit").isMissingNode()) {
          v.accept("emptyDir " + vol.path("name").asText() + " has no sizeLimit");
        }
      }
    }));
  }

  @Test
  void longRunningPodsSetTheirTerminationGracePeriodAndNoServiceLinks() {
    assertNone(eachWorkload((w, v) -> {
      if (w.podSpec().path("enableServiceLinks").asBoolean(true)) {
        v.accept("enableServiceLinks is not false (service variables could collide with Spring's relaxed binding)");
      }
      if (w.longRunning() && w.podSpec().path("terminationGracePeriodSeconds").asInt(0) < 30) {
        v.accept("terminationGracePeriodSeconds missing or below 30");
      }
    }));
  }

  @Test
  void everyWorkloadIsCoveredByTheNetworkPolicies() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      if (!r.has("network-policies")) {
        continue;
      }
      List<JsonNode> policies = r.kind("NetworkPolicy");
      for (Workload w : r.workloads()) {
        Map<String, String> labels = w.podLabels();
        for (String type : List.of("Ingress", "Egress")) {
          boolean denied = policies.stream().anyMatch(p -> Checks.selectsAll(p.path("spec").path("podSelector"))
              && types(p).contains(type) && p.path("spec").path(type.toLowerCase()).size() == 0);
          if (!denied) {
            violations.add(w.id() + ": no default-deny " + type + " policy selects it");
          }
        }
        boolean own = policies.stream().anyMatch(p -> !Checks.selectsAll(p.path("spec").path("podSelector"))
            && Checks.selects(p.path("spec").path("podSelector"), labels)
            && types(p).containsAll(List.of("Ingress", "Egress")));
        if (!own) {
          violations.add(w.id() + ": no NetworkPolicy of its own (Ingress and Egress) selects its pods");
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void multiReplicaWorkloadsInProdHaveAPodDisruptionBudget() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      if (!r.isProd()) {
        continue;
      }
      for (Workload w : r.workloads()) {
        int min = minReplicas(r, w);
        if (!w.longRunning() || min < 2) {
          continue;
        }
        List<JsonNode> pdbs = r.kind("PodDisruptionBudget").stream()
            .filter(p -> Checks.selects(p.path("spec").path("selector"), w.podLabels())).toList();
        if (pdbs.isEmpty()) {
          violations.add(w.id() + ": " + min + " replicas and no PodDisruptionBudget");
        }
        for (JsonNode pdb : pdbs) {
          JsonNode maxUnavailable = pdb.path("spec").path("maxUnavailable");
          JsonNode minAvailable = pdb.path("spec").path("minAvailable");
          boolean allowsOne = maxUnavailable.isInt() ? maxUnavailable.asInt() >= 1
              : minAvailable.isInt() && minAvailable.asInt() < min;
          if (!allowsOne) {
            violations.add(w.id() + ": PodDisruptionBudget/" + Checks.name(pdb) + " blocks every eviction");
          }
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void prodRunsSeveralGatewaysAndWorkersSpreadOverNodes() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      if (!r.isProd()) {
        continue;
      }
      for (String name : List.of("gateway", "worker")) {
        int min = minReplicas(r, r.workload(name));
        if (min < 2) {
          violations.add(r + ": " + name + " runs " + min + " replica(s) at least, prod needs 2");
        }
      }
      if (r.kind("HorizontalPodAutoscaler").isEmpty() && r.kind("ScaledObject").isEmpty()) {
        violations.add(r + ": the worker is not autoscaled");
      }
      for (Workload w : r.workloads()) {
        if (w.kind().equals("Deployment") && minReplicas(r, w) >= 2) {
          JsonNode anti = w.podSpec().path("affinity").path("podAntiAffinity");
          if (anti.isMissingNode() || !anti.toString().contains("kubernetes.io/hostname")) {
            violations.add(w.id() + ": several replicas without pod anti-affinity on kubernetes.io/hostname");
          }
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void noSecretValuesInEnvironmentLiteralsOrConfigMaps() {
    List<String> violations = eachContainer((w, c, v) -> {
      for (JsonNode e : c.path("env")) {
        if (!e.has("value")) {
          continue;
        }
        String name = e.path("name").asText();
        String value = e.path("value").asText();
        if (Checks.secretName(name, value)) {
          v.accept("env " + name + " is a credential set as a literal: use a secretKeyRef");
        }
        String why = Checks.secretValue(value);
        if (why != null) {
          v.accept("env " + name + " holds " + why);
        }
      }
    });
    for (Rendered r : Renders.all()) {
      for (JsonNode cm : r.kind("ConfigMap")) {
        cm.path("data").properties().forEach(e -> {
          String where = r + ": ConfigMap/" + Checks.name(cm) + " key " + e.getKey();
          if (Checks.secretName(e.getKey(), e.getValue().asText())) {
            violations.add(where + " is named like a credential");
          }
          String why = Checks.secretValue(e.getValue().asText());
          if (why != null) {
            violations.add(where + " holds " + why);
          }
        });
        if (cm.has("binaryData")) {
          violations.add(r + ": ConfigMap/" + Checks.name(cm) + " has binaryData");
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void secretDetectorFindsWhatItShould() {
    org.assertj.core.api.Assertions.assertThat(Checks.secretValue("http://mp3:hunter2@rabbitmq:15672/")).isNotNull();
    org.assertj.core.api.Assertions.assertThat(Checks.secretValue("-----BEGIN PRIVATE KEY-----\nMC4C")).isNotNull();
    org.assertj.core.api.Assertions.assertThat(Checks.secretValue("FMJUUE3OsGIQkspUSza9UN4L+9dWA6UqSlbShjhDQTw="))
        .isNotNull();
    org.assertj.core.api.Assertions.assertThat(Checks.secretValue("jdbc:postgresql://postgres:5432/mp3_auth")).isNull();
    org.assertj.core.api.Assertions.assertThat(Checks.secretValue("rate(mp3_jobs_stuck_processing[5m])")).isNull();
    org.assertj.core.api.Assertions.assertThat(Checks.secretValue("alert Mp3JobsStuckInProcessing")).isNull();
    org.assertj.core.api.Assertions.assertThat(Checks.secretValue("x9f_k2q7z_w8e4r1t6y3u0i5o_p2a9")).isNotNull();
    org.assertj.core.api.Assertions.assertThat(Checks.secretName("MP3_INTERNAL_TOKEN", "x")).isTrue();
    org.assertj.core.api.Assertions.assertThat(Checks.secretName("MP3_AUTH_SIGNING_KEY_FILE", "/etc/mp3/k.pem"))
        .isFalse();
  }

  @Test
  void everyConfigMapAndSecretReferenceResolves() {
    assertNone(eachWorkload((w, v) -> {
      Rendered r = w.variant();
      for (JsonNode c : w.containers()) {
        for (JsonNode e : c.path("env")) {
          JsonNode from = e.path("valueFrom");
          checkKeyRef(r, "ConfigMap", from.path("configMapKeyRef"), v);
          checkKeyRef(r, "Secret", from.path("secretKeyRef"), v);
        }
        for (JsonNode ef : c.path("envFrom")) {
          refExists(r, "ConfigMap", ef.path("configMapRef").path("name"), ef.path("configMapRef"), v);
          refExists(r, "Secret", ef.path("secretRef").path("name"), ef.path("secretRef"), v);
        }
      }
      for (JsonNode vol : w.podSpec().path("volumes")) {
        refExists(r, "ConfigMap", vol.path("configMap").path("name"), vol.path("configMap"), v);
        refExists(r, "Secret", vol.path("secret").path("secretName"), vol.path("secret"), v);
      }
    }));
  }

  @Test
  void namespaceEnforcesTheRestrictedPodSecurityStandard() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      JsonNode ns = r.get("Namespace", "mp3");
      if (!"restricted".equals(Checks.labels(ns).get("pod-security.kubernetes.io/enforce"))) {
        violations.add(r + ": namespace mp3 does not enforce the restricted Pod Security Standard");
      }
    }
    assertNone(violations);
  }

  private static void checkKeyRef(Rendered r, String kind, JsonNode ref, java.util.function.Consumer<String> v) {
    if (ref.isMissingNode()) {
      return;
    }
    Optional<JsonNode> target = r.find(kind, ref.path("name").asText());
    if (target.isEmpty()) {
      v.accept(kind + " " + ref.path("name").asText() + " is not rendered");
      return;
    }
    String key = ref.path("key").asText();
    if (!target.get().path("data").has(key) && !target.get().path("stringData").has(key)) {
      v.accept(kind + " " + ref.path("name").asText() + " has no key " + key);
    }
  }

  private static void refExists(Rendered r, String kind, JsonNode name, JsonNode ref,
      java.util.function.Consumer<String> v) {
    if (name.isMissingNode()) {
      return;
    }
    Optional<JsonNode> target = r.find(kind, name.asText());
    if (target.isEmpty()) {
      if (!ref.path("optional").asBoolean(false)) {
        v.accept(kind + " " + name.asText() + " is not rendered");
      }
      return;
    }
    for (JsonNode item : ref.path("items")) {
      if (!target.get().path("data").has(item.path("key").asText())) {
        v.accept(kind + " " + name.asText() + " has no key " + item.path("key").asText());
      }
    }
  }

  private static Optional<JsonNode> volume(Workload w, String name) {
    for (JsonNode vol : w.podSpec().path("volumes")) {
      if (name.equals(vol.path("name").asText())) {
        return Optional.of(vol);
      }
    }
    return Optional.empty();
  }

  private static List<String> types(JsonNode policy) {
    List<String> types = new ArrayList<>();
    policy.path("spec").path("policyTypes").forEach(t -> types.add(t.asText()));
    return types;
  }

  /** The fewest replicas a workload runs: its own count, or its autoscaler's minimum. */
  static int minReplicas(Rendered r, Workload w) {
    for (JsonNode hpa : r.kind("HorizontalPodAutoscaler")) {
      if (hpa.path("spec").path("scaleTargetRef").path("name").asText().equals(w.name())) {
        return hpa.path("spec").path("minReplicas").asInt(1);
      }
    }
    for (JsonNode so : r.kind("ScaledObject")) {
      if (so.path("spec").path("scaleTargetRef").path("name").asText().equals(w.name())) {
        return so.path("spec").path("minReplicaCount").asInt(0);
      }
    }
    return w.replicas();
  }

  private static BigDecimal amount(JsonNode quantity) {
    return Quantity.getAmountInBytes(new Quantity(quantity.asText()));
  }

  /** registry/repository:tag@digest. */
  record Image(String repository, String tag, String digest) {
    static Image parse(String image) {
      String digest = null;
      int at = image.indexOf('@');
      if (at >= 0) {
        digest = image.substring(at + 1);
        image = image.substring(0, at);
      }
      int slash = image.lastIndexOf('/');
      int colon = image.lastIndexOf(':');
      if (colon > slash) {
        return new Image(image.substring(0, colon), image.substring(colon + 1), digest);
      }
      return new Image(image, null, digest);
    }
  }
}
