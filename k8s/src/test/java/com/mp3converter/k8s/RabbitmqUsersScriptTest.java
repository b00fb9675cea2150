package com.mp3converter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rabbitmq-users Job's script (base/config/create-rabbitmq-users.sh) against a stand-in `curl` that records
 * the management API calls: one user per service whose permission patterns, applied to the topology's names
 * (AmqpTopology: exchanges, queues, dead-letter queues) and to names outside it, allow exactly what the service
 * does, and a monitoring user for KEDA with no rights at all.
 */
class RabbitmqUsersScriptTest {
  private static final Set<String> EXCHANGES = Set.of("conversions", "conversions.dlx");
  private static final Set<String> TOPOLOGY = Set.of("conversions", "conversions.dlx",
      "worker.conversions", "worker.conversions.dlq", "notifier.events", "notifier.events.dlq",
      "gateway.status", "gateway.status.dlq", "notifier.accounts", "notifier.accounts.dlq", "gateway.accounts",
      "gateway.accounts.dlq");
  /** Names no service may touch: the default exchange (publishing straight into a queue), others, near misses. */
  private static final Set<String> OUTSIDE = Set.of("amq.default", "amq.topic", "other", "conversionsx",
      "xconversions", "worker.conversions.dlqx", "conversions.dlq");

  @TempDir
  Path tmp;

  private record Call(String method, String path, String body) {}

  private List<Call> run(String gatewayPassword) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path log = tmp.resolve("curl.log");
    Path curl = bin.resolve("curl");
    // One line per call: METHOD PATH BODY (the body is JSON on one line); every argument also to curl.args.
    Files.writeString(curl, """
        #!/bin/sh
        echo "$*" >> "$CURL_LOG.args"
        method=GET body=
        while [ $# -gt 1 ]; do
          case "$1" in
            -X) method="$2"; shift ;;
            --data) body="$2"; shift ;;
            --netrc-file) cp "$2" "$CURL_LOG.netrc"; shift ;;
          esac
          shift
        done
        echo "$method ${1#http://rabbitmq:15672/api} $body" >> "$CURL_LOG"
        """);
    Files.setPosixFilePermissions(curl, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder("sh", Repo.k8s().resolve("base/config/create-rabbitmq-users.sh").toString())
        .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("CURL_LOG", log.toString());
    pb.environment().put("RABBITMQ_API", "http://rabbitmq:15672");
    pb.environment().put("RABBITMQ_ADMIN_USER", "mp3-admin");
    pb.environment().put("RABBITMQ_ADMIN_PASSWORD", "adminsecret");
    pb.environment().put("AUTH_RABBITMQ_PASSWORD", "authsecret");
    pb.environment().put("GATEWAY_RABBITMQ_PASSWORD", gatewayPassword);
    pb.environment().put("WORKER_RABBITMQ_PASSWORD", "workersecret");
    pb.environment().put("NOTIFIER_RABBITMQ_PASSWORD", "notifiersecret");
    pb.environment().put("KEDA_RABBITMQ_PASSWORD", "kedasecret");
    // In the Job the credentials file goes to /tmp (an emptyDir); here to the test's own folder.
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new ScriptFailed(out);
    }
    return Files.readAllLines(log).stream().map(line -> {
      String[] parts = line.split(" ", 3);
      return new Call(parts[0], parts[1], parts.length > 2 ? parts[2] : "");
    }).toList();
  }

  private static final class ScriptFailed extends Exception {
    ScriptFailed(String output) {
      super(output);
    }
  }

  @Test
  void eachServiceMayDeclareTheTopologyButConsumeOnlyItsOwnQueueAndPublishOnlyWhereItDoes() throws Exception {
    List<Call> calls = run("gatewaysecret");
    assertThat(calls.get(0)).isEqualTo(new Call("GET", "/overview", ""));

    Map<String, JsonNode> users = new LinkedHashMap<>();
    Map<String, JsonNode> permissions = new LinkedHashMap<>();
    for (Call call : calls.subList(1, calls.size())) {
      assertThat(call.method()).as(call.toString()).isEqualTo("PUT");
      JsonNode body = Yaml.JSON.readTree(call.body());
      if (call.path().startsWith("/users/")) {
        users.put(call.path().substring("/users/".length()), body);
      } else {
        assertThat(call.path()).as("the default virtual host only").startsWith("/permissions/%2F/");
        permissions.put(call.path().substring("/permissions/%2F/".length()), body);
      }
    }
    assertThat(users.keySet()).containsExactlyInAnyOrder("auth", "gateway", "worker", "notifier", "keda");
    assertThat(permissions.keySet()).isEqualTo(users.keySet());
    assertThat(users.get("auth").path("password").asText()).isEqualTo("authsecret");
    assertThat(users.get("gateway").path("password").asText()).isEqualTo("gatewaysecret");
    assertThat(users.get("worker").path("password").asText()).isEqualTo("workersecret");
    assertThat(users.get("notifier").path("password").asText()).isEqualTo("notifiersecret");
    assertThat(users.get("keda").path("password").asText()).isEqualTo("kedasecret");
    for (String service : List.of("auth", "gateway", "worker", "notifier")) {
      assertThat(users.get(service).path("tags").asText()).as("%s: no management access", service).isEmpty();
    }
    assertThat(users.get("keda").path("tags").asText()).isEqualTo("monitoring");

    // configure: every service declares the whole topology at start-up (AmqpAutoConfiguration).
    // write: publish to an exchange or bind a queue; read: consume a queue or bind from an exchange.
    Set<String> queues = new TreeSet<>(TOPOLOGY);
    queues.removeAll(EXCHANGES);
    Map<String, Set<String>> reads = Map.of(
        "auth", EXCHANGES,
        "gateway", union(EXCHANGES, Set.of("gateway.status", "gateway.accounts")),
        "worker", union(EXCHANGES, Set.of("worker.conversions")),
        "notifier", union(EXCHANGES, Set.of("notifier.events", "notifier.accounts")));
    Map<String, Set<String>> writes = Map.of(
        "auth", union(queues, Set.of("conversions")),
        "gateway", union(queues, Set.of("conversions", "conversions.dlx")),
        "worker", union(queues, Set.of("conversions", "conversions.dlx")),
        "notifier", union(queues, Set.of("conversions.dlx")));
    for (String service : reads.keySet()) {
      JsonNode p = permissions.get(service);
      assertThat(allowed(p.path("configure").asText())).as("%s configure", service).isEqualTo(new TreeSet<>(TOPOLOGY));
      assertThat(allowed(p.path("write").asText())).as("%s write", service).isEqualTo(new TreeSet<>(writes.get(service)));
      assertThat(allowed(p.path("read").asText())).as("%s read", service).isEqualTo(new TreeSet<>(reads.get(service)));
    }
    // Each worker instance's own cancel queue (Topology.workerCancelQueue): the worker's alone, nothing like it.
    String cancelQueue = "worker.cancel.0b1c2d3e-4f50-4617-8899-aabbccddeeff";
    for (String kind : List.of("configure", "write", "read")) {
      assertThat(Pattern.compile(permissions.get("worker").path(kind).asText()).matcher(cancelQueue).find())
          .as("worker %s %s", kind, cancelQueue).isTrue();
      assertThat(Pattern.compile(permissions.get("worker").path(kind).asText()).matcher("worker.cancel.x").find())
          .as("worker %s worker.cancel.x", kind).isFalse();
      for (String other : List.of("gateway", "notifier")) {
        assertThat(Pattern.compile(permissions.get(other).path(kind).asText()).matcher(cancelQueue).find())
            .as("%s %s %s", other, kind, cancelQueue).isFalse();
      }
    }
    JsonNode keda = permissions.get("keda");
    for (String kind : List.of("configure", "write", "read")) {
      assertThat(allowed(keda.path(kind).asText())).as("keda %s", kind).isEmpty();
    }
  }

  @Test
  void theAdministratorsCredentialsReachCurlInAFileNotOnItsCommandLine() throws Exception {
    run("gatewaysecret");
    assertThat(Files.readString(tmp.resolve("curl.log.args"))).doesNotContain("adminsecret");
    assertThat(Files.readString(tmp.resolve("curl.log.netrc")))
        .isEqualToIgnoringWhitespace("machine rabbitmq login mp3-admin password adminsecret");
  }

  @Test
  void aPasswordThatWouldBreakTheJsonIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> run("pass\",\"tags\":\"administrator"))
        .isInstanceOf(ScriptFailed.class).hasMessageContaining("letters and digits only");
  }

  /** The names, inside and outside the topology, that a RabbitMQ permission pattern matches. */
  private static Set<String> allowed(String pattern) {
    Pattern compiled = Pattern.compile(pattern);
    Set<String> matched = new TreeSet<>();
    for (String name : union(TOPOLOGY, OUTSIDE)) {
      if (compiled.matcher(name).find()) {
        matched.add(name);
      }
    }
    return matched;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
