package com.mp3converter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every overlay and every component renders, and every component is rendered in at least one variant. */
class RenderTest {
  @Test
  void overlaysRender() {
    assertThat(Renders.get("dev").objects()).isNotEmpty();
    assertThat(Renders.get("prod").objects()).isNotEmpty();
  }

  @Test
  void everyOverlayFolderIsAVariant() throws IOException {
    try (Stream<Path> dirs = Files.list(Repo.k8s().resolve("overlays"))) {
      List<String> overlays = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList();
      List<String> variants = Renders.all().stream().map(Rendered::name).toList();
      assertThat(variants).containsAll(overlays);
    }
  }

  @Test
  void everyComponentIsRenderedInSomeVariant() throws IOException {
    Set<String> used = new HashSet<>();
    Renders.all().forEach(r -> used.addAll(r.components()));
    try (Stream<Path> dirs = Files.list(Repo.k8s().resolve("components"))) {
      List<String> components = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList();
      assertThat(components).isNotEmpty();
      assertThat(used).containsAll(components);
    }
  }

  @Test
  void baseRendersOnItsOwn() {
    List<JsonNode> objects = Yaml.documents(Renders.kustomize(Renders.workspace().resolve("base")));
    assertThat(objects).extracting(o -> o.path("kind").asText())
        .contains("Namespace", "Deployment", "StatefulSet", "Service", "ServiceAccount", "ConfigMap", "Ingress", "Job");
  }

  @Test
  void everyObjectIsUniqueAndNamespacedToMp3() {
    for (Rendered r : Renders.all()) {
      Set<String> ids = new HashSet<>();
      for (JsonNode o : r.objects()) {
        String kind = o.path("kind").asText();
        String id = kind + "/" + o.path("metadata").path("name").asText();
        assertThat(ids.add(id)).as("%s: %s rendered twice", r, id).isTrue();
        if (!kind.equals("Namespace")) {
          assertThat(o.path("metadata").path("namespace").asText()).as("%s: namespace of %s", r, id).isEqualTo("mp3");
        }
      }
    }
  }

  @Test
  void everyObjectCarriesThePartOfLabel() {
    for (Rendered r : Renders.all()) {
      for (JsonNode o : r.objects()) {
        assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText())
            .as("%s: %s/%s", r, o.path("kind").asText(), o.path("metadata").path("name").asText())
            .isEqualTo("mp3-converter");
      }
    }
  }
}
