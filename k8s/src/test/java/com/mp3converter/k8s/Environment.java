package com.mp3converter.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a container starts with, resolved from the rendered objects: literal values, ConfigMap and
 * Secret keys (single keys and envFrom), in Kubernetes' precedence (env over envFrom, later envFrom over
 * earlier). Values from Secrets are the generated test secrets, decoded.
 */
final class Environment {
  private Environment() {}

  static Map<String, String> of(Workload w, JsonNode container) {
    Rendered r = w.variant();
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      String prefix = from.path("prefix").asText("");
      if (from.has("configMapRef")) {
        r.configMap(from.path("configMapRef").path("name").asText())
            .ifPresent(cm -> cm.path("data").properties().forEach(e -> env.put(prefix + e.getKey(), e.getValue().asText())));
      }
      if (from.has("secretRef")) {
        r.secret(from.path("secretRef").path("name").asText())
            .ifPresent(s -> s.path("data").properties().forEach(e -> env.put(prefix + e.getKey(), decode(e.getValue()))));
      }
    }
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (e.has("value")) {
        env.put(name, e.path("value").asText());
        continue;
      }
      JsonNode cmRef = e.path("valueFrom").path("configMapKeyRef");
      JsonNode secretRef = e.path("valueFrom").path("secretKeyRef");
      if (!cmRef.isMissingNode()) {
        env.put(name, r.configMap(cmRef.path("name").asText())
            .map(cm -> cm.path("data").path(cmRef.path("key").asText()).asText(null)).orElse(null));
      } else if (!secretRef.isMissingNode()) {
        env.put(name, r.secret(secretRef.path("name").asText())
            .map(s -> decode(s.path("data").path(secretRef.path("key").asText()))).orElse(null));
      } else {
        env.put(name, null);
      }
    }
    return env;
  }

  static String decode(JsonNode base64) {
    if (base64.isMissingNode() || base64.isNull()) {
      return null;
    }
    return new String(Base64.getMimeDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }
}
