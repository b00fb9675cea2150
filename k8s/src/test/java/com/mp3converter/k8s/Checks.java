package com.mp3converter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Small shared helpers of the checks: violations lists, label selectors, secret-looking names and values. */
final class Checks {
  /** Names that hold credentials (environment variables, ConfigMap keys). */
  static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SIGNING_?KEY|CREDENTIAL|COOKIE).*");
  private static final Pattern PEM_PRIVATE = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");
  private static final Pattern URL_PASSWORD = Pattern.compile("[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.");
  private static final Pattern TOKEN_WORD = Pattern.compile("[A-Za-z0-9+/=_-]{24,}");
  /**
   * Names, not tokens: snake_case of short lowercase words (Prometheus metrics such as mp3_jobs_failed_total, in the
   * Grafana dashboard's ConfigMap) and UpperCamelCase of short words (alert names). A random token has neither shape.
   */
  private static final Pattern IDENTIFIER =
      Pattern.compile("[a-z][a-z0-9]{0,11}(_[a-z][a-z0-9]{0,11}){2,}|([A-Z][a-z0-9]{1,11}){3,}");

  private Checks() {}

  static void assertNone(List<String> violations) {
    assertThat(violations).as("violations").isEmpty();
  }

  /** Settings about a credential that are not one: its lifetime, where its file is, who issues it. */
  private static final Pattern ABOUT_A_SECRET = Pattern.compile(
      ".*_(TTL|TIMEOUT|TIMEOUT_MS|FILE|PATH|DIR|URL|ISSUER|AUDIENCE|LENGTH|SIZE|BYTES)");

  /** Whether a name is about a credential: then its value belongs in a Secret (a path to its file does not). */
  static boolean secretName(String name, String value) {
    return SECRET_NAME.matcher(name).matches() && !ABOUT_A_SECRET.matcher(name.toUpperCase()).matches();
  }

  /** Why a value looks like a credential, or null. */
  static String secretValue(String value) {
    if (PEM_PRIVATE.matcher(value).find()) {
      return "a PEM private key";
    }
    if (URL_PASSWORD.matcher(value).find()) {
      return "a URL with a password";
    }
    if (JWT.matcher(value).find()) {
      return "a JWT";
    }
    var m = TOKEN_WORD.matcher(value);
    while (m.find()) {
      String word = m.group();
      if (!word.contains("/") && word.chars().anyMatch(Character::isDigit) && word.chars().anyMatch(Character::isLetter)
          && !IDENTIFIER.matcher(word).matches() && entropy(word) >= 3.5) {
        return "a random-looking token (" + word.length() + " chars)";
      }
    }
    return null;
  }

  /** Shannon entropy in bits per character. */
  static double entropy(String s) {
    Map<Integer, Long> counts = new java.util.HashMap<>();
    s.chars().forEach(c -> counts.merge(c, 1L, Long::sum));
    double h = 0;
    for (long n : counts.values()) {
      double p = (double) n / s.length();
      h -= p * (Math.log(p) / Math.log(2));
    }
    return h;
  }

  /** Kubernetes label selector (matchLabels and matchExpressions) against a label set. */
  static boolean selects(JsonNode selector, Map<String, String> labels) {
    if (selector == null || selector.isMissingNode() || selector.isNull()) {
      return false;
    }
    for (var e : iterable(selector.path("matchLabels"))) {
      if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      boolean has = labels.containsKey(key);
      boolean ok = switch (expr.path("operator").asText()) {
        case "In" -> has && values.contains(labels.get(key));
        case "NotIn" -> !has || !values.contains(labels.get(key));
        case "Exists" -> has;
        case "DoesNotExist" -> !has;
        default -> throw new IllegalArgumentException("operator " + expr.path("operator").asText());
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A selector that selects everything ({} ). */
  static boolean selectsAll(JsonNode selector) {
    return selector.isObject() && selector.path("matchLabels").size() == 0
        && selector.path("matchExpressions").size() == 0;
  }

  static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
    return object.properties();
  }

  static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    object.path("metadata").path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }
}
