package com.mp3converter.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict schema check of one rendered object: it must bind to the typed class of its apiVersion and kind
 * (fabric8's Kubernetes model, or the records of {@link Keda} and {@link PrometheusOperator}) with no field left over and no value of the
 * wrong type.
 *
 * <p>fabric8 keeps unknown fields instead of refusing them (a {@code @JsonAnySetter} into
 * {@code additionalProperties} on every class), so after binding the whole object graph is walked and every
 * non-empty {@code additionalProperties} is reported with its path. Scalar coercion ("2" for an integer, 1 for a
 * string) is switched off, so a quoted number where the API wants a number fails as the API server would.
 */
final class StrictSchema {
  static final Map<String, Class<?>> TYPES = Map.ofEntries(
      Map.entry("v1/Namespace", Namespace.class),
      Map.entry("v1/ServiceAccount", ServiceAccount.class),
      Map.entry("v1/Service", Service.class),
      Map.entry("v1/ConfigMap", ConfigMap.class),
      Map.entry("v1/Secret", Secret.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("apps/v1/StatefulSet", StatefulSet.class),
      Map.entry("apps/v1/DaemonSet", DaemonSet.class),
      Map.entry("batch/v1/Job", Job.class),
      Map.entry("batch/v1/CronJob", CronJob.class),
      Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
      Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
      Map.entry("keda.sh/v1alpha1/ScaledObject", Keda.ScaledObject.class),
      Map.entry("keda.sh/v1alpha1/TriggerAuthentication", Keda.TriggerAuthentication.class),
      Map.entry("monitoring.coreos.com/v1/PodMonitor", PrometheusOperator.PodMonitor.class),
      Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusOperator.PrometheusRule.class));

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  private StrictSchema() {}

  /** Problems of one object; empty when it is valid. */
  static List<String> check(JsonNode object) {
    String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    Class<?> cls = TYPES.get(type);
    if (cls == null) {
      return List.of("no schema for " + type + " (add its class to StrictSchema.TYPES, or do not render it)");
    }
    Object typed;
    try {
      typed = MAPPER.readValue(Yaml.json(object), cls);
    } catch (JacksonException e) {
      return List.of(type + " does not bind: " + e.getOriginalMessage() + " at " + e.getPathReference());
    }
    List<String> problems = new ArrayList<>();
    walk(typed, "", problems, new IdentityHashMap<>());
    if (typed instanceof Keda.Checked checked) {
      problems.addAll(checked.problems());
    }
    return problems;
  }

  private static void walk(Object value, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
        || value instanceof Enum<?> || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        walk(item, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
      return;
    }
    Class<?> cls = value.getClass();
    if (cls.isRecord()) {
      for (RecordComponent rc : cls.getRecordComponents()) {
        try {
          walk(rc.getAccessor().invoke(value), path + "." + rc.getName(), problems, seen);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return;
    }
    if (!cls.getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        Object v;
        try {
          v = f.get(value);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (f.getName().equals("additionalProperties")) {
          if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
            problems.add("unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "(top)" : path));
          }
        } else {
          walk(v, path + "." + f.getName(), problems, seen);
        }
      }
    }
  }
}
