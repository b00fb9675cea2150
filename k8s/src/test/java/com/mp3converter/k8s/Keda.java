package com.mp3converter.k8s;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of KEDA's CRDs (keda.sh/v1alpha1, KEDA 2.x) that this project may use, as closed records: a field not
 * listed here fails the schema check instead of being ignored by the API server's pruning. Fields are those of
 * KEDA's ScaledObject and TriggerAuthentication specs; the rabbitmq trigger's metadata keys are those of its
 * scaler.
 */
final class Keda {
  interface Checked {
    List<String> problems();
  }

  private Keda() {}

  record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) implements Checked {
    @Override
    public List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (spec == null || spec.scaleTargetRef() == null || spec.scaleTargetRef().name() == null) {
        problems.add("ScaledObject needs spec.scaleTargetRef.name");
        return problems;
      }
      if (spec.triggers() == null || spec.triggers().isEmpty()) {
        problems.add("ScaledObject needs at least one trigger");
        return problems;
      }
      for (Trigger t : spec.triggers()) {
        if ("rabbitmq".equals(t.type())) {
          problems.addAll(Trigger.rabbitmqProblems(t.metadata()));
        }
      }
      return problems;
    }
  }

  record ScaledObjectSpec(
      ScaleTarget scaleTargetRef,
      Integer pollingInterval,
      Integer cooldownPeriod,
      Integer initialCooldownPeriod,
      Integer idleReplicaCount,
      Integer minReplicaCount,
      Integer maxReplicaCount,
      Advanced advanced,
      Fallback fallback,
      List<Trigger> triggers) {}

  record ScaleTarget(String apiVersion, String kind, String name, String envSourceContainerName) {}

  record Advanced(Boolean restoreToOriginalReplicaCount, HpaConfig horizontalPodAutoscalerConfig) {}

  record HpaConfig(String name, HorizontalPodAutoscalerBehavior behavior) {}

  record Fallback(Integer failureThreshold, Integer replicas, String behavior) {}

  record Trigger(
      String type,
      String name,
      Boolean useCachedMetrics,
      String metricType,
      Map<String, String> metadata,
      AuthenticationRef authenticationRef) {
    static final Set<String> RABBITMQ_KEYS = Set.of("host", "hostFromEnv", "protocol", "mode", "value",
        "activationValue", "queueName", "vhostName", "useRegex", "excludeUnacknowledged", "pageSize", "operation",
        "timeout", "unsafeSsl", "usernameFromEnv", "passwordFromEnv");

    static List<String> rabbitmqProblems(Map<String, String> metadata) {
      List<String> problems = new ArrayList<>();
      if (metadata == null) {
        return List.of("rabbitmq trigger without metadata");
      }
      metadata.keySet().stream().filter(k -> !RABBITMQ_KEYS.contains(k))
          .forEach(k -> problems.add("rabbitmq trigger: unknown metadata key " + k));
      if (!Set.of("QueueLength", "MessageRate").contains(metadata.get("mode"))) {
        problems.add("rabbitmq trigger: mode must be QueueLength or MessageRate, not " + metadata.get("mode"));
      }
      if (metadata.get("protocol") != null && !Set.of("auto", "http", "amqp").contains(metadata.get("protocol"))) {
        problems.add("rabbitmq trigger: protocol must be auto, http or amqp");
      }
      if (metadata.get("queueName") == null || metadata.get("value") == null) {
        problems.add("rabbitmq trigger: queueName and value are required");
      }
      return problems;
    }
  }

  record AuthenticationRef(String name, String kind) {}

  record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec)
      implements Checked {
    @Override
    public List<String> problems() {
      if (spec == null || spec.secretTargetRef() == null || spec.secretTargetRef().isEmpty()) {
        return List.of("TriggerAuthentication without secretTargetRef");
      }
      return List.of();
    }
  }

  record TriggerAuthenticationSpec(List<SecretTargetRef> secretTargetRef) {}

  record SecretTargetRef(String parameter, String name, String key) {}
}
