package com.mp3converter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rendered object of every variant passes the strict schema check; the check itself refuses bad objects. */
class SchemaTest {
  @Test
  void everyRenderedObjectIsValidStrictly() {
    List<String> problems = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      for (JsonNode o : r.objects()) {
        StrictSchema.check(o).forEach(p -> problems.add(
            r + ": " + o.path("kind").asText() + "/" + o.path("metadata").path("name").asText() + ": " + p));
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void aMisspelledFieldIsRefused() {
    JsonNode deployment = gateway().deepCopy();
    ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").path(0))
        .put("imagePullPolicyy", "Always");
    assertThat(StrictSchema.check(deployment))
        .singleElement().asString().contains("imagePullPolicyy").contains("containers[0]");
  }

  @Test
  void aFieldAtTheWrongLevelIsRefused() {
    JsonNode deployment = gateway().deepCopy();
    ((ObjectNode) deployment.path("spec")).put("serviceAccountName", "gateway");
    assertThat(StrictSchema.check(deployment)).singleElement().asString().contains("serviceAccountName");
  }

  @Test
  void aQuotedNumberIsRefused() {
    JsonNode deployment = gateway().deepCopy();
    ((ObjectNode) deployment.path("spec")).put("replicas", "2");
    assertThat(StrictSchema.check(deployment)).singleElement().asString().contains("does not bind");
  }

  @Test
  void anUnknownKindIsRefused() {
    ObjectNode o = Yaml.JSON.createObjectNode();
    o.put("apiVersion", "example.com/v1").put("kind", "Widget");
    assertThat(StrictSchema.check(o)).singleElement().asString().contains("no schema");
  }

  @Test
  void anUnknownKedaFieldIsRefused() {
    JsonNode scaled = Renders.get("dev+worker-keda").get("ScaledObject", "worker").deepCopy();
    ((ObjectNode) scaled.path("spec")).put("maxReplicas", 3);
    assertThat(StrictSchema.check(scaled)).singleElement().asString().contains("maxReplicas");
    JsonNode metadataTypo = Renders.get("dev+worker-keda").get("ScaledObject", "worker").deepCopy();
    ((ObjectNode) metadataTypo.path("spec").path("triggers").path(0).path("metadata")).put("queue", "x");
    assertThat(StrictSchema.check(metadataTypo)).singleElement().asString().contains("unknown metadata key queue");
  }

  private static JsonNode gateway() {
    JsonNode deployment = Renders.get("dev").get("Deployment", "gateway");
    assertThat(StrictSchema.check(deployment)).isEmpty();
    return deployment;
  }
}
