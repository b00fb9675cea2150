package com.mp3converter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The route files as the developers' guide wants them, and as an operator meets them in Hawtio (which shows each
 * route's id and description): every file opens with a comment that says its input, its output and its failure
 * behaviour; every route and every REST verb has a stable id and a description; no id is used twice in a service.
 */
class RouteFilesTest {
  private static final List<String> VERBS = List.of("get", "post", "put", "delete", "patch", "head");
  private static final Map<String, Pattern> HEADER_PARTS = Map.of(
      "input", Pattern.compile("\\b(In|Input)\\s*:"),
      "output", Pattern.compile("\\b(Out|Output)\\s*:"),
      "failure", Pattern.compile("\\bFailures?\\b\\s*[(:]"));

  private static List<Path> routeFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(Repo.root().resolve("routes"))) {
      List<Path> files = walk.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
      assertThat(files).isNotEmpty();
      return files;
    }
  }

  @Test
  void everyFileStartsWithItsInputOutputAndFailure() throws IOException {
    for (Path file : routeFiles()) {
      StringBuilder header = new StringBuilder();
      for (String line : Files.readAllLines(file)) {
        if (!line.startsWith("#")) {
          break;
        }
        header.append(line).append('\n');
      }
      assertThat(header).as(file + " starts with a comment").isNotEmpty();
      HEADER_PARTS.forEach((part, pattern) ->
          assertThat(pattern.matcher(header).find()).as(file + " header says its " + part).isTrue());
    }
  }

  @Test
  void everyRouteAndRestVerbHasAnIdAndADescription() throws IOException {
    Map<String, Set<String>> idsByService = new java.util.HashMap<>();
    int routes = 0;
    for (Path file : routeFiles()) {
      Set<String> ids = idsByService.computeIfAbsent(file.getParent().getFileName().toString(), s -> new HashSet<>());
      for (JsonNode definition : Yaml.YAML.readTree(Files.readString(file))) {
        List<JsonNode> described = new ArrayList<>();
        if (definition.has("route")) {
          described.add(definition.get("route"));
        }
        if (definition.has("rest")) {
          for (String verb : VERBS) {
            definition.get("rest").path(verb).forEach(described::add);
          }
        }
        for (JsonNode route : described) {
          routes++;
          String id = route.path("id").asText("");
          assertThat(id).as(file + ": a route without an id: " + route).isNotBlank();
          assertThat(route.path("description").asText("")).as(file + ": " + id + " has a description").isNotBlank();
          assertThat(ids.add(id)).as(file + ": id " + id + " is used once in its service").isTrue();
        }
      }
    }
    assertThat(routes).isGreaterThan(40);
  }
}
