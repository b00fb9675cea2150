package com.mp3converter.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's own configuration file (services/NAME/src/main/resources/NAME.yaml), with the shared AMQP settings
 * (mp3-amqp.yaml) below it for a service that talks AMQP and the shared management settings (mp3-management.yaml)
 * and the shared log and trace settings (mp3-observability.yaml) below it for every service, and its property
 * placeholders {@code ${NAME:default}},
 * resolved the way Spring would resolve them against a container's environment.
 */
final class ServiceConfig {
  /** An environment-style name (upper case): the placeholders Kubernetes is meant to fill. */
  static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

  record Placeholder(String name, String defaultValue, String property) {
    boolean hasDefault() {
      return defaultValue != null;
    }
  }

  final String service;
  final Path file;
  final JsonNode tree;

  private ServiceConfig(String service, Path file, JsonNode tree) {
    this.service = service;
    this.file = file;
    this.tree = tree;
  }

  static ServiceConfig load(String service) {
    Path file = Repo.serviceConfig(service);
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(service + " has no configuration file at " + Repo.root().relativize(file)
          + ": the consistency checks read it");
    }
    JsonNode tree = Yaml.document(Repo.read(file));
    if (Repo.talksAmqp(service)) {
      tree = below(tree, Yaml.document(Repo.read(Repo.sharedAmqpConfig())));
    }
    tree = below(tree, Yaml.document(Repo.read(Repo.sharedManagementConfig())));
    tree = below(tree, Yaml.document(Repo.read(Repo.sharedObservabilityConfig())));
    return new ServiceConfig(service, file, tree);
  }

  /** {@code own} with what {@code shared} adds underneath (the service's own values win, as in Spring). */
  private static JsonNode below(JsonNode own, JsonNode shared) {
    if (!own.isObject() || !shared.isObject()) {
      return own;
    }
    ObjectNode merged = ((ObjectNode) shared).deepCopy();
    own.properties().forEach(e -> merged.set(e.getKey(),
        merged.has(e.getKey()) ? below(e.getValue(), merged.get(e.getKey())) : e.getValue()));
    return merged;
  }

  /** Every placeholder of the file, nested defaults included, with the property it sits in. */
  List<Placeholder> placeholders() {
    List<Placeholder> out = new ArrayList<>();
    collect(tree, "", out);
    return out;
  }

  List<Placeholder> envPlaceholders() {
    return placeholders().stream().filter(p -> ENV_NAME.matcher(p.name()).matches()).toList();
  }

  private static void collect(JsonNode node, String path, List<Placeholder> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> collect(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), path + "[" + i + "]", out);
      }
    } else if (node.isTextual()) {
      parse(node.asText(), path, out);
    }
  }

  /** Finds ${...} with nesting: ${A:${B:x}/y} gives A (default "${B:x}/y") and B (default "x"). */
  static void parse(String text, String property, List<Placeholder> out) {
    int i = text.indexOf("${");
    while (i >= 0) {
      int depth = 0;
      int end = -1;
      for (int j = i; j < text.length(); j++) {
        if (text.startsWith("${", j)) {
          depth++;
          j++;
        } else if (text.charAt(j) == '}') {
          depth--;
          if (depth == 0) {
            end = j;
            break;
          }
        }
      }
      if (end < 0) {
        throw new IllegalArgumentException("unclosed placeholder in " + property + ": " + text);
      }
      String inner = text.substring(i + 2, end);
      int colon = topLevelColon(inner);
      String name = colon < 0 ? inner : inner.substring(0, colon);
      String def = colon < 0 ? null : inner.substring(colon + 1);
      out.add(new Placeholder(name, def, property));
      if (def != null) {
        parse(def, property, out);
      }
      i = text.indexOf("${", end + 1);
    }
  }

  private static int topLevelColon(String inner) {
    int depth = 0;
    for (int j = 0; j < inner.length(); j++) {
      if (inner.startsWith("${", j)) {
        depth++;
        j++;
      } else if (inner.charAt(j) == '}') {
        depth--;
      } else if (inner.charAt(j) == ':' && depth == 0) {
        return j;
      }
    }
    return -1;
  }

  /** The raw value at a dotted property path, if the file sets it (nested maps, as these files are written). */
  Optional<String> raw(String property) {
    JsonNode node = tree;
    for (String part : property.split("\\.")) {
      node = node.path(part);
    }
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    return Optional.of(node.isValueNode() ? node.asText() : node.toString());
  }

  /** The value Spring would see with this environment: an environment variable wins over a placeholder default. */
  Optional<String> effective(String property, Map<String, String> env) {
    return raw(property).map(v -> resolve(v, env));
  }

  /** Resolves placeholders (nested ones too); a name the environment lacks takes its default, else stays. */
  static String resolve(String value, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf("${", i);
      if (start < 0) {
        out.append(value.substring(i));
        break;
      }
      out.append(value, i, start);
      int depth = 0;
      int end = -1;
      for (int j = start; j < value.length(); j++) {
        if (value.startsWith("${", j)) {
          depth++;
          j++;
        } else if (value.charAt(j) == '}' && --depth == 0) {
          end = j;
          break;
        }
      }
      if (end < 0) {
        throw new IllegalArgumentException("unclosed placeholder: " + value);
      }
      String inner = value.substring(start + 2, end);
      int colon = topLevelColon(inner);
      String name = colon < 0 ? inner : inner.substring(0, colon);
      if (env.get(name) != null) {
        out.append(env.get(name));
      } else if (colon >= 0) {
        out.append(resolve(inner.substring(colon + 1), env));
      } else {
        out.append("${").append(name).append('}');
      }
      i = end + 1;
    }
    return out.toString();
  }

  /** Spring-style durations: 10m, 30s, 1h, 500ms, 7d, or plain milliseconds. */
  static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2) == null ? "ms" : m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
