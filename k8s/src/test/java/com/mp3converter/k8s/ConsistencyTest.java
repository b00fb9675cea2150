package com.mp3converter.k8s;

import static com.mp3converter.k8s.Checks.assertNone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The manifests agree with the applications: what each service reads from its environment is provided, ports and
 * probe paths match its management configuration, Services and the Ingress reach the right pods and ports, and
 * the URLs between services name Services that exist on the right port.
 */
class ConsistencyTest {
  static final String SERVER_PORT = "8080";
  static final String MANAGEMENT_PORT = "9090";

  private static final List<String> PORTS = List.of("SERVER_PORT", "MANAGEMENT_SERVER_PORT");
  private static final List<String> RABBITMQ = List.of(
      "SPRING_RABBITMQ_HOST", "SPRING_RABBITMQ_PORT", "SPRING_RABBITMQ_USERNAME", "SPRING_RABBITMQ_PASSWORD",
      "MP3_AMQP_QUORUM");
  private static final List<String> S3 = List.of(
      "MP3_S3_ENDPOINT", "MP3_S3_REGION", "MP3_S3_BUCKET", "MP3_S3_ACCESS_KEY", "MP3_S3_SECRET_KEY");
  private static final List<String> DATABASE = List.of(
      "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");

  /** The services with a database of their own (design.md: each owns its database). */
  static final List<String> DATABASE_OWNERS = List.of("auth", "gateway", "notifier");

  /** What design.md's configuration table (and the team brief) says each service is given in a cluster. */
  static final Map<String, List<String>> CONTRACT = Map.of(
      "auth", concat(PORTS, DATABASE, RABBITMQ, List.of("MP3_AUTH_SIGNING_KEY_FILE", "MP3_PUBLIC_URL")),
      "gateway", concat(PORTS, DATABASE, RABBITMQ, S3, List.of(
          "MP3_AUTH_URL", "MP3_INTERNAL_TOKEN", "MP3_PUBLIC_URL", "MP3_DOWNLOAD_TOKEN_KEY")),
      "worker", concat(PORTS, RABBITMQ, S3, List.of(
          "MP3_FFMPEG_PATH", "MP3_MAX_SOURCE_BYTES", "MP3_MAX_DURATION_SECONDS")),
      "notifier", concat(PORTS, DATABASE, RABBITMQ, List.of(
          "MP3_GATEWAY_INTERNAL_URL", "MP3_INTERNAL_TOKEN", "MP3_RESEND_BASE_URL", "MP3_RESEND_API_KEY",
          "MP3_MAIL_FROM")));

  /** Environment names Spring binds without a placeholder (relaxed binding), and the JVM's own. */
  private static final Pattern BOUND_WITHOUT_PLACEHOLDER = Pattern.compile(
      "(SERVER|MANAGEMENT|SPRING|CAMEL|LOGGING)_[A-Z0-9_]+|JAVA_TOOL_OPTIONS|JAVA_OPTS");
  private static final Pattern LOCAL_DEFAULT = Pattern.compile("(?i).*(127\\.0\\.0\\.1|localhost|\\[::1]).*");

  /** The public API (design.md), the web app, and how the Ingress must route them. */
  static final Set<String> PUBLIC_PATHS = Set.of(
      "Prefix /auth/", "Prefix /conversions", "Prefix /downloads/", "Exact /account", "Exact /openapi.json",
      "Exact /", "Exact /verify", "Exact /reset", "Prefix /web/");
  /** The Ingresses: the gateway's API, and exactly its upload path with a large body limit. */
  static final String UPLOADS_INGRESS = "gateway-uploads";
  static final List<String> INGRESSES = List.of("gateway", UPLOADS_INGRESS);
  static final String UPLOAD_PATH = "Exact /conversions";
  static final Set<String> ALL_INGRESS_PATHS = concatSet(PUBLIC_PATHS, Set.of(UPLOAD_PATH));
  static final List<String> MUST_ROUTE = List.of(
      "/auth/register", "/auth/login", "/auth/verify", "/auth/password-reset/confirm", "/account", "/conversions", "/conversions/0b6f2f4e", "/downloads/abc.def",
      "/openapi.json", "/", "/verify", "/reset", "/web/app.js");
  static final List<String> MUST_NOT_ROUTE = List.of(
      "/index.html", "/webx", "/verifyx", "/internal/download-links", "/actuator", "/actuator/health", "/actuator/prometheus",
      "/actuator/hawtio/", "/jolokia", "/hawtio", "/.well-known/jwks.json", "/register", "/login",
      "/conversionsx", "/openapi.yaml", "/downloadsx", "/accounts", "/account/x");

  private static Set<String> concatSet(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return all;
  }

  private static List<String> perService(ServiceCheck check) {
    List<String> violations = new ArrayList<>();
    for (String service : Repo.SERVICES) {
      ServiceConfig config = ServiceConfig.load(service);
      for (Rendered r : Renders.all()) {
        Workload w = r.workload(service);
        JsonNode c = w.mainContainer();
        check.accept(config, w, c, Environment.of(w, c), v -> violations.add(w.id() + ": " + v));
      }
    }
    return violations;
  }

  interface ServiceCheck {
    void accept(ServiceConfig config, Workload w, JsonNode container, Map<String, String> env, Consumer<String> v);
  }

  @Test
  void everySettingAServiceNeedsInAClusterIsProvided() {
    assertNone(perService((config, w, c, env, v) -> {
      Set<String> needed = new TreeSet<>(CONTRACT.get(config.service));
      for (ServiceConfig.Placeholder p : config.envPlaceholders()) {
        boolean noDefault = !p.hasDefault();
        boolean localDefault = p.hasDefault() && LOCAL_DEFAULT.matcher(p.defaultValue()).matches();
        boolean credential = Checks.secretName(p.name(), "");
        if (noDefault || localDefault || credential) {
          needed.add(p.name());
        }
      }
      for (String name : needed) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
          v.accept(name + " is not provided (" + Repo.root().relativize(config.file) + " or the contract needs it)");
        }
      }
    }));
  }

  @Test
  void everyEnvironmentNameSetIsOneTheServiceReads() {
    assertNone(perService((config, w, c, env, v) -> {
      Set<String> read = new HashSet<>();
      config.envPlaceholders().forEach(p -> read.add(p.name()));
      for (String name : env.keySet()) {
        if (!read.contains(name) && !BOUND_WITHOUT_PLACEHOLDER.matcher(name).matches()) {
          v.accept(name + " is set but " + config.service + ".yaml has no placeholder for it (dead or misspelled)");
        }
      }
    }));
  }

  /** Log stores read one JSON object per line (docs/operations.md, "Logs"); the local launcher keeps text. */
  @Test
  void everyServiceLogsJsonInACluster() {
    assertNone(perService((config, w, c, env, v) -> {
      String format = config.effective("mp3.observability.log-format", env).orElse("");
      if (!"json".equals(format)) {
        v.accept("logs as '" + format + "', not json (MP3_LOG_FORMAT, ConfigMap observability)");
      }
    }));
  }

  @Test
  void portsAndProbesMatchTheManagementConfiguration() {
    assertNone(perService((config, w, c, env, v) -> {
      if (!SERVER_PORT.equals(env.get("SERVER_PORT"))) {
        v.accept("SERVER_PORT is " + env.get("SERVER_PORT") + ", not " + SERVER_PORT);
      }
      if (!MANAGEMENT_PORT.equals(env.get("MANAGEMENT_SERVER_PORT"))) {
        v.accept("MANAGEMENT_SERVER_PORT is " + env.get("MANAGEMENT_SERVER_PORT") + ", not " + MANAGEMENT_PORT);
      }
      if (w.containerPort(Yaml.JSON.getNodeFactory().textNode("management")) != Integer.parseInt(MANAGEMENT_PORT)) {
        v.accept("no container port 'management' = " + MANAGEMENT_PORT);
      }
      if (!Set.of("worker", "notifier").contains(config.service)
          && w.containerPort(Yaml.JSON.getNodeFactory().textNode("http")) != Integer.parseInt(SERVER_PORT)) {
        v.accept("no container port 'http' = " + SERVER_PORT);
      }
      Map<String, String> probes = Map.of(
          "startupProbe", "/actuator/health/liveness",
          "livenessProbe", "/actuator/health/liveness",
          "readinessProbe", "/actuator/health/readiness");
      probes.forEach((probe, path) -> {
        JsonNode get = c.path(probe).path("httpGet");
        if (c.path(probe).isMissingNode() && probe.equals("startupProbe")) {
          return;
        }
        if (!path.equals(get.path("path").asText())) {
          v.accept(probe + " path is '" + get.path("path").asText() + "', not " + path);
        }
        if (w.containerPort(get.path("port")) != Integer.parseInt(MANAGEMENT_PORT)) {
          v.accept(probe + " port " + get.path("port") + " is not the management port " + MANAGEMENT_PORT);
        }
      });
      config.raw("management.endpoints.web.base-path").filter(p -> !p.equals("/actuator"))
          .ifPresent(p -> v.accept("actuator base path is " + p + ": the probes use /actuator"));
      config.raw("management.server.base-path").filter(p -> !p.equals("/") && !p.isEmpty())
          .ifPresent(p -> v.accept("management.server.base-path is " + p + ": the probes assume none"));
      if (config.raw("management.endpoint.health.probes.enabled").map("false"::equals).orElse(false)) {
        v.accept("health probes (liveness/readiness groups) are disabled");
      }
      if (!exposure(config).contains("health")) {
        v.accept("the health endpoint is not exposed over HTTP");
      }
      config.raw("management.endpoint.health.group.liveness.include").ifPresent(include -> {
        for (String part : include.replaceAll("[\\[\\]\" ]", "").split(",")) {
          if (!Set.of("livenessState", "ping").contains(part)) {
            v.accept("liveness group includes " + part + ": an outside dependency would restart healthy pods");
          }
        }
      });
    }));
  }

  /** The console users' passwords: every service reads them (mp3-management.yaml), the Secret mp3-app holds them. */
  static final List<String> CONSOLE_PASSWORDS = List.of("MP3_HAWTIO_VIEWER_PASSWORD", "MP3_HAWTIO_ADMIN_PASSWORD");
  /** docs/deploy.md's way to the consoles: a port-forward to each Deployment's management port. */
  private static final Pattern PORT_FORWARD =
      Pattern.compile("kubectl -n mp3 port-forward deploy/([a-z]+) (\\d+):(\\d+)");

  @Test
  void theConsoleIsServedOnTheManagementPortWithItsUsersFromASecretAndNoRemoteJmx() {
    assertNone(perService((config, w, c, env, v) -> {
      if (!exposure(config).containsAll(List.of("hawtio", "jolokia"))) {
        v.accept("Hawtio and Jolokia are not exposed on the management port");
      }
      for (String password : CONSOLE_PASSWORDS) {
        boolean fromSecret = false;
        for (JsonNode e : c.path("env")) {
          fromSecret |= password.equals(e.path("name").asText()) && e.path("valueFrom").has("secretKeyRef");
        }
        if (!fromSecret || env.get(password) == null || env.get(password).isBlank()) {
          v.accept(password + " does not come from a Secret: the console would refuse everyone");
        }
      }
      String jvm = env.getOrDefault("JAVA_TOOL_OPTIONS", "") + " " + env.getOrDefault("JAVA_OPTS", "");
      if (jvm.contains("jmxremote")) {
        v.accept("remote JMX is switched on (" + jvm.trim() + "): JMX tools go through a port-forward instead");
      }
    }));
  }

  @Test
  void theDocumentedPortForwardsReachEveryServicesManagementPort() {
    String deploy = Repo.read(Repo.root().resolve("docs/deploy.md"));
    Map<String, String> forwarded = new LinkedHashMap<>();
    Matcher m = PORT_FORWARD.matcher(deploy);
    while (m.find()) {
      forwarded.put(m.group(1), m.group(3));
    }
    assertThat(forwarded).as("docs/deploy.md port-forwards (deployment -> pod port)")
        .containsOnlyKeys(Repo.SERVICES)
        .allSatisfy((service, port) -> assertThat(port).as(service).isEqualTo(MANAGEMENT_PORT));
    assertNone(perService((config, w, c, env, v) -> {
      if (w.containerPort(Yaml.JSON.getNodeFactory().textNode("management")) != Integer.parseInt(MANAGEMENT_PORT)) {
        v.accept("no container port 'management' = " + MANAGEMENT_PORT + " to port-forward to");
      }
    }));
  }

  @Test
  void servicesSelectTheirPodsAndTargetExistingPorts() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      for (JsonNode svc : r.kind("Service")) {
        String id = r + ": Service/" + Checks.name(svc);
        JsonNode selector = svc.path("spec").path("selector");
        if (selector.isMissingNode() || selector.isEmpty()) {
          violations.add(id + " has no selector");
          continue;
        }
        List<Workload> targets = selected(r, svc);
        if (targets.isEmpty()) {
          violations.add(id + " selects no pods");
        }
        for (Workload w : targets) {
          for (JsonNode port : svc.path("spec").path("ports")) {
            JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
            if (w.containerPort(target) < 0) {
              violations.add(id + " port " + port.path("name").asText() + " targets " + target + ", which "
                  + w.name() + " does not have");
            }
          }
        }
      }
      for (Workload w : r.workloads()) {
        if (w.kind().equals("StatefulSet")) {
          String serviceName = w.object().path("spec").path("serviceName").asText();
          Optional<JsonNode> headless = r.find("Service", serviceName);
          if (headless.isEmpty() || !"None".equals(headless.get().path("spec").path("clusterIP").asText())
              || !selected(r, headless.get()).contains(w)) {
            violations.add(w.id() + ": serviceName " + serviceName + " is not a headless Service selecting it");
          }
          if (w.object().path("spec").path("volumeClaimTemplates").isEmpty()) {
            violations.add(w.id() + ": no volumeClaimTemplates (its data would not survive the pod)");
          }
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void theIngressRoutesOnlyThePublicApiToTheGatewayOverTls() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      List<JsonNode> ingresses = r.kind("Ingress");
      Set<String> names = new TreeSet<>();
      ingresses.forEach(i -> names.add(Checks.name(i)));
      if (!names.equals(new TreeSet<>(INGRESSES))) {
        violations.add(r + ": Ingresses " + names + ", expected the gateway's " + new TreeSet<>(INGRESSES));
        continue;
      }
      Set<String> paths = new HashSet<>();
      List<String[]> routes = new ArrayList<>();
      Set<String> hosts = new HashSet<>();
      Set<String> tlsHosts = new HashSet<>();
      for (JsonNode ing : ingresses) {
        checkIngress(r, ing, paths, routes, hosts, tlsHosts, violations);
      }
      if (!paths.equals(ALL_INGRESS_PATHS)) {
        violations.add(r + ": Ingress paths " + new TreeSet<>(paths) + ", expected " + new TreeSet<>(ALL_INGRESS_PATHS));
      }
      for (String path : MUST_ROUTE) {
        if (routes.stream().noneMatch(rt -> matches(rt[0], rt[1], path))) {
          violations.add(r + ": public path " + path + " is not routed");
        }
      }
      for (String path : MUST_NOT_ROUTE) {
        if (routes.stream().anyMatch(rt -> matches(rt[0], rt[1], path))) {
          violations.add(r + ": " + path + " is routed to the outside world");
        }
      }
      if (hosts.contains("") || !tlsHosts.containsAll(hosts)) {
        violations.add(r + ": hosts " + hosts + " are not all covered by TLS " + tlsHosts);
      }
    }
    assertNone(violations);
  }

  /**
   * Large bodies only where uploads go: the Ingress gateway-uploads routes exactly {@code /conversions} and allows
   * a body just above the gateway's MP3_MAX_UPLOAD_BYTES (so the gateway's own 413 answers an oversized upload);
   * the Ingress gateway keeps a small limit for everything else.
   */
  @Test
  void onlyTheUploadPathTakesLargeBodies() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      Workload gateway = r.workload("gateway");
      String configured = Environment.of(gateway, gateway.mainContainer()).get("MP3_MAX_UPLOAD_BYTES");
      long maxUpload = configured == null ? 500L * 1024 * 1024 : bytes(configured);
      for (JsonNode ing : r.kind("Ingress")) {
        String limit = ing.path("metadata").path("annotations").path("nginx.ingress.kubernetes.io/proxy-body-size")
            .asText("");
        if (limit.isEmpty()) {
          violations.add(r + ": Ingress " + Checks.name(ing) + " has no proxy-body-size");
          continue;
        }
        long allowed = bytes(limit);
        if (Checks.name(ing).equals(UPLOADS_INGRESS)) {
          if (allowed <= maxUpload || allowed > maxUpload + 16L * 1024 * 1024) {
            violations.add(r + ": Ingress " + UPLOADS_INGRESS + " allows " + limit + ", expected a little above "
                + "MP3_MAX_UPLOAD_BYTES (" + maxUpload + " bytes)");
          }
        } else if (allowed > 1024 * 1024) {
          violations.add(r + ": Ingress " + Checks.name(ing) + " allows bodies of " + limit + "; only "
              + UPLOADS_INGRESS + " takes uploads");
        }
      }
    }
    assertNone(violations);
  }

  /** A size as nginx (64k, 501m) or Spring (500MB, 1024) writes it, in bytes. */
  static long bytes(String size) {
    var m = Pattern.compile("(?i)(\\d+)\\s*([kmg]?)b?").matcher(size.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + size);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase()) {
      case "k" -> n * 1024;
      case "m" -> n * 1024 * 1024;
      case "g" -> n * 1024 * 1024 * 1024;
      default -> n;
    };
  }

  /** One Ingress: no default backend or raw configuration, every path to the gateway's API port, TLS secrets. */
  private void checkIngress(Rendered r, JsonNode ing, Set<String> paths, List<String[]> routes, Set<String> hosts,
      Set<String> tlsHosts, List<String> violations) {
    if (ing.path("spec").has("defaultBackend")) {
      violations.add(r + ": the Ingress " + Checks.name(ing) + " has a defaultBackend (it would route every path)");
    }
    ing.path("metadata").path("annotations").fieldNames().forEachRemaining(a -> {
      if (a.contains("snippet")) {
        violations.add(r + ": Ingress annotation " + a + " injects raw controller configuration");
      }
    });
    for (JsonNode rule : ing.path("spec").path("rules")) {
      hosts.add(rule.path("host").asText());
      for (JsonNode p : rule.path("http").path("paths")) {
        String type = p.path("pathType").asText();
        String path = p.path("path").asText();
        paths.add(type + " " + path);
        routes.add(new String[] {type, path});
        if (Checks.name(ing).equals(UPLOADS_INGRESS) && !UPLOAD_PATH.equals(type + " " + path)) {
          violations.add(r + ": Ingress " + UPLOADS_INGRESS + " routes " + type + " " + path + "; only " + UPLOAD_PATH
              + " may take uploads");
        }
        JsonNode backend = p.path("backend").path("service");
        String target = backend.path("name").asText();
        if (!target.equals("gateway")) {
          violations.add(r + ": " + path + " goes to " + target + ", not the gateway");
          continue;
        }
        int containerPort = servicePortToContainerPort(r, target, backend.path("port"));
        if (containerPort != Integer.parseInt(SERVER_PORT)) {
          violations.add(r + ": " + path + " reaches the gateway's container port " + containerPort
              + ", not its API port " + SERVER_PORT);
        }
      }
    }
    for (JsonNode tls : ing.path("spec").path("tls")) {
      tls.path("hosts").forEach(h -> tlsHosts.add(h.asText()));
      Optional<JsonNode> secret = r.secret(tls.path("secretName").asText());
      if (secret.isEmpty() || !"kubernetes.io/tls".equals(secret.get().path("type").asText())) {
        violations.add(r + ": TLS secret " + tls.path("secretName").asText() + " is not a rendered kubernetes.io/tls Secret");
      }
    }
  }

  @Test
  void ingressPathMatchingFollowsKubernetesRules() {
    assertThat(matches("Prefix", "/auth/", "/auth/login")).isTrue();
    assertThat(matches("Prefix", "/auth/", "/auth")).isTrue();
    assertThat(matches("Prefix", "/auth/", "/authx")).isFalse();
    assertThat(matches("Prefix", "/conversions", "/conversions/1")).isTrue();
    assertThat(matches("Prefix", "/", "/anything")).isTrue();
    assertThat(matches("Exact", "/openapi.json", "/openapi.json/")).isFalse();
  }

  @Test
  void urlsBetweenServicesNameServicesThatExistOnTheRightPort() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      Set<String> ingressHosts = new HashSet<>();
      r.kind("Ingress").forEach(i -> i.path("spec").path("rules").forEach(rule -> ingressHosts.add(rule.path("host").asText())));
      for (Workload w : r.workloads()) {
        for (JsonNode c : w.containers()) {
          Map<String, String> env = Environment.of(w, c);
          Map<String, String> urls = new LinkedHashMap<>();
          env.forEach((k, val) -> {
            if (val != null && URL.matcher(val).matches()) {
              urls.put(k, val);
            }
          });
          if (env.containsKey("SPRING_RABBITMQ_HOST")) {
            urls.put("SPRING_RABBITMQ_HOST/PORT",
                "amqp://" + env.get("SPRING_RABBITMQ_HOST") + ":" + env.get("SPRING_RABBITMQ_PORT"));
          }
          urls.forEach((k, url) -> checkUrl(r, w.id() + " " + k, url, ingressHosts, violations::add));
        }
      }
      for (JsonNode cm : r.kind("ConfigMap")) {
        cm.path("data").properties().forEach(e -> {
          if (URL.matcher(e.getValue().asText()).matches()) {
            checkUrl(r, r + ": ConfigMap/" + Checks.name(cm) + " " + e.getKey(), e.getValue().asText(), ingressHosts,
                violations::add);
          }
        });
      }
    }
    assertNone(violations);
  }

  private static final Pattern URL = Pattern.compile("(https?|jdbc:postgresql|amqp)://[^\\s]+");
  private static final Map<String, Integer> DEFAULT_PORTS = Map.of(
      "http", 80, "https", 443, "jdbc:postgresql", 5432, "amqp", 5672);

  private static void checkUrl(Rendered r, String where, String url, Set<String> ingressHosts, Consumer<String> v) {
    Matcher m = Pattern.compile("(https?|jdbc:postgresql|amqp)://(?:[^@/]+@)?([^:/?#]+)(?::(\\d+))?.*").matcher(url);
    if (!m.matches()) {
      v.accept(where + ": cannot read URL " + url);
      return;
    }
    String scheme = m.group(1);
    String host = m.group(2);
    int port = m.group(3) != null ? Integer.parseInt(m.group(3)) : DEFAULT_PORTS.get(scheme);
    Optional<String> service = inClusterService(host);
    if (service.isEmpty()) {
      if (host.contains("svc.cluster.local") || host.endsWith(".svc")) {
        v.accept(where + ": " + host + " is in another namespace than mp3");
      } else if (!scheme.equals("https")) {
        v.accept(where + ": " + url + " leaves the cluster without TLS");
      }
      if (where.contains("MP3_PUBLIC_URL") && !ingressHosts.contains(host)) {
        v.accept(where + ": public URL host " + host + " is not the Ingress host " + ingressHosts);
      }
      return;
    }
    Optional<JsonNode> svc = r.find("Service", service.get());
    if (svc.isEmpty()) {
      v.accept(where + ": " + url + " names Service " + service.get() + ", which does not exist");
      return;
    }
    JsonNode servicePort = null;
    for (JsonNode p : svc.get().path("spec").path("ports")) {
      if (p.path("port").asInt() == port) {
        servicePort = p;
      }
    }
    if (servicePort == null) {
      v.accept(where + ": Service " + service.get() + " has no port " + port + " (" + url + ")");
      return;
    }
    for (Workload target : selected(r, svc.get())) {
      JsonNode tp = servicePort.has("targetPort") ? servicePort.path("targetPort") : servicePort.path("port");
      int containerPort = target.containerPort(tp);
      if (containerPort < 0) {
        v.accept(where + ": " + url + " ends at no container port of " + target.name());
      }
      if (scheme.startsWith("http") && Repo.SERVICES.contains(target.name())) {
        String apiPort = Environment.of(target, target.mainContainer()).get("SERVER_PORT");
        if (!String.valueOf(containerPort).equals(apiPort)) {
          v.accept(where + ": " + url + " reaches " + target.name() + " on " + containerPort + ", not its API port "
              + apiPort);
        }
      }
    }
  }

  /** auth, auth.mp3, auth.mp3.svc, auth.mp3.svc.cluster.local are Services of namespace mp3. */
  private static Optional<String> inClusterService(String host) {
    String[] parts = host.split("\\.");
    if (parts.length == 1) {
      return Optional.of(host);
    }
    String rest = host.substring(parts[0].length() + 1);
    if (Set.of("mp3", "mp3.svc", "mp3.svc.cluster.local").contains(rest)) {
      return Optional.of(parts[0]);
    }
    return Optional.empty();
  }

  @Test
  void eachServiceOwnsItsDatabaseCreatedAtFirstStart() {
    List<String> violations = new ArrayList<>();
    String script = Repo.read(Repo.k8s().resolve("base/config/10-mp3-databases.sh"));
    for (Rendered r : Renders.all()) {
      Workload postgres = r.workload("postgres");
      Map<String, String> pgEnv = Environment.of(postgres, postgres.mainContainer());
      Set<String> databases = new HashSet<>();
      for (String service : DATABASE_OWNERS) {
        Workload w = r.workload(service);
        Map<String, String> env = Environment.of(w, w.mainContainer());
        URI jdbc = URI.create(env.get("SPRING_DATASOURCE_URL").substring("jdbc:".length()));
        String db = jdbc.getPath().substring(1);
        databases.add(db);
        String prefix = service.toUpperCase();
        if (!db.equals(pgEnv.get(prefix + "_DB"))) {
          violations.add(r + ": " + service + " uses database " + db + ", postgres creates " + pgEnv.get(prefix + "_DB"));
        }
        if (!env.get("SPRING_DATASOURCE_USERNAME").equals(pgEnv.get(prefix + "_DB_USER"))) {
          violations.add(r + ": " + service + " logs in as " + env.get("SPRING_DATASOURCE_USERNAME")
              + ", postgres creates " + pgEnv.get(prefix + "_DB_USER"));
        }
        if (!env.get("SPRING_DATASOURCE_PASSWORD").equals(pgEnv.get(prefix + "_DB_PASSWORD"))) {
          violations.add(r + ": " + service + "'s database password differs from the one postgres sets");
        }
        for (String var : List.of(prefix + "_DB", prefix + "_DB_USER", prefix + "_DB_PASSWORD")) {
          if (!script.contains("\"$" + var + "\"")) {
            violations.add("the init script does not use " + var);
          }
        }
      }
      if (databases.size() != DATABASE_OWNERS.size()) {
        violations.add(r + ": " + DATABASE_OWNERS + " share a database " + databases);
      }
      boolean initMounted = false;
      for (JsonNode m : postgres.mainContainer().path("volumeMounts")) {
        initMounted |= m.path("mountPath").asText().equals("/docker-entrypoint-initdb.d");
      }
      if (!initMounted) {
        violations.add(r + ": the init script is not mounted at /docker-entrypoint-initdb.d");
      }
    }
    assertNone(violations);
  }

  /** The Secrets of the infrastructure: a service's key in them is named after it (GATEWAY_DB_PASSWORD, ...). */
  static final Set<String> INFRASTRUCTURE_SECRETS = Set.of("mp3-postgres", "mp3-rabbitmq", "mp3-minio");

  @Test
  void eachServiceGetsOnlyItsOwnCredentials() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      Map<String, String> owners = new LinkedHashMap<>();
      for (String service : Repo.SERVICES) {
        Workload w = r.workload(service);
        for (JsonNode c : w.containers()) {
          for (JsonNode from : c.path("envFrom")) {
            if (from.has("secretRef")) {
              violations.add(w.id() + ": envFrom Secret " + from.path("secretRef").path("name").asText()
                  + " hands over every key in it");
            }
          }
          for (JsonNode e : c.path("env")) {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            String secret = ref.path("name").asText();
            String key = ref.path("key").asText();
            if (INFRASTRUCTURE_SECRETS.stream().anyMatch(secret::startsWith)
                && !key.startsWith(service.toUpperCase() + "_")) {
              violations.add(w.id() + ": " + e.path("name").asText() + " comes from " + secret + " key " + key
                  + ", not one of " + service + "'s own");
            }
          }
        }
        // The values too: two services with the same user or key would be one identity under two names.
        Map<String, String> env = Environment.of(w, w.mainContainer());
        for (String name : List.of("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
            "SPRING_RABBITMQ_USERNAME", "SPRING_RABBITMQ_PASSWORD", "MP3_S3_ACCESS_KEY", "MP3_S3_SECRET_KEY")) {
          String value = env.get(name);
          if (value != null) {
            String other = owners.putIfAbsent(name + "=" + value, service);
            if (other != null) {
              violations.add(r + ": " + service + " and " + other + " share " + name);
            }
          }
        }
        if (env.containsKey("SPRING_RABBITMQ_PASSWORD") && !service.equals(env.get("SPRING_RABBITMQ_USERNAME"))) {
          violations.add(w.id() + ": logs in to RabbitMQ as " + env.get("SPRING_RABBITMQ_USERNAME")
              + ", not as its own user " + service);
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void theBucketsLifecycleRuleFollowsTheGatewaysRetention() {
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      Workload minioJob = r.workload("minio-bucket");
      Workload gateway = r.workload("gateway");
      String retention = Environment.of(gateway, gateway.mainContainer()).get("MP3_RETENTION");
      String rule = Environment.of(minioJob, minioJob.mainContainer()).get("RETENTION");
      if (retention == null || !retention.equals(rule)) {
        violations.add(r + ": the gateway keeps MP3s for " + retention + ", the bucket's lifecycle rule follows " + rule);
      }
    }
    assertNone(violations);
  }

  @Test
  void theSetupJobsCreateTheUsersTheServicesLogInAs() {
    List<String> violations = new ArrayList<>();
    String rabbitScript = Repo.read(Repo.k8s().resolve("base/config/create-rabbitmq-users.sh"));
    String minioScript = Repo.read(Repo.k8s().resolve("base/config/create-bucket.sh"));
    for (Rendered r : Renders.all()) {
      Workload rabbitJob = r.workload("rabbitmq-users");
      Map<String, String> rabbitEnv = Environment.of(rabbitJob, rabbitJob.mainContainer());
      Workload minioJob = r.workload("minio-bucket");
      Map<String, String> minioEnv = Environment.of(minioJob, minioJob.mainContainer());
      Workload broker = r.workload("rabbitmq");
      Map<String, String> brokerEnv = Environment.of(broker, broker.mainContainer());
      for (String service : Repo.SERVICES) {
        Workload w = r.workload(service);
        Map<String, String> env = Environment.of(w, w.mainContainer());
        String prefix = service.toUpperCase();
        if (CONTRACT.get(service).contains("SPRING_RABBITMQ_PASSWORD")) {
          if (!env.get("SPRING_RABBITMQ_PASSWORD").equals(rabbitEnv.get(prefix + "_RABBITMQ_PASSWORD"))) {
            violations.add(r + ": " + service + "'s broker password is not the one rabbitmq-users sets");
          }
          if (!rabbitScript.contains("user " + service + " \"$" + prefix + "_RABBITMQ_PASSWORD\"")) {
            violations.add("create-rabbitmq-users.sh does not create user " + service);
          }
          if (env.get("SPRING_RABBITMQ_USERNAME").equals(brokerEnv.get("RABBITMQ_DEFAULT_USER"))) {
            violations.add(r + ": " + service + " logs in as the broker's administrator");
          }
        }
        if (CONTRACT.get(service).contains("MP3_S3_ACCESS_KEY")) {
          for (String half : List.of("ACCESS", "SECRET")) {
            String key = prefix + "_S3_" + half + "_KEY";
            if (!env.get("MP3_S3_" + half + "_KEY").equals(minioEnv.get(key))) {
              violations.add(r + ": " + service + "'s MP3_S3_" + half + "_KEY is not the " + key + " minio-bucket sets");
            }
          }
          if (!minioScript.contains("user \"$" + prefix + "_S3_ACCESS_KEY\" \"$" + prefix + "_S3_SECRET_KEY\" mp3-"
              + service)) {
            violations.add("create-bucket.sh does not create " + service + "'s S3 user with policy mp3-" + service);
          }
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void theWorkersTempSpaceFitsItsJobs() {
    assertNone(perService((config, w, c, env, v) -> {
      if (!config.service.equals("worker")) {
        return;
      }
      long source = Long.parseLong(config.effective("mp3.max-source-bytes", env).orElseThrow());
      long seconds = Long.parseLong(config.effective("mp3.max-duration-seconds", env).orElseThrow());
      int concurrency = Integer.parseInt(config.effective("mp3.worker.concurrency", env).orElseThrow());
      if (concurrency <= 0) {
        v.accept("MP3_WORKER_CONCURRENCY is " + concurrency + ": set it, the temp space is sized by it");
        return;
      }
      // Per job in hand (the encoders' and the jobs ahead): the source (written once, into the job folder) and an
      // MP3 of at most 320 kbit/s for the longest allowed duration.
      int jobsInHand = concurrency + Integer.parseInt(config.effective("mp3.worker.jobs-ahead", env).orElseThrow());
      long needed = jobsInHand * (source + seconds * 320_000 / 8);
      String workDir = config.effective("mp3.worker.work-dir", env).orElseThrow()
          .replace("${java.io.tmpdir}", "/tmp");
      JsonNode volume = mountedEmptyDir(w, c, workDir);
      if (volume == null) {
        v.accept("the work dir " + workDir + " is not on an emptyDir");
        return;
      }
      BigDecimal limit = Quantity.getAmountInBytes(new Quantity(volume.path("emptyDir").path("sizeLimit").asText()));
      if (limit.compareTo(BigDecimal.valueOf(needed)) < 0) {
        v.accept("emptyDir sizeLimit " + volume.path("emptyDir").path("sizeLimit").asText() + " < " + needed
            + " bytes (" + jobsInHand + " jobs in hand, of " + source + " source bytes)");
      }
      JsonNode ephemeral = c.path("resources").path("limits").path("ephemeral-storage");
      if (ephemeral.isMissingNode()
          || Quantity.getAmountInBytes(new Quantity(ephemeral.asText())).compareTo(limit) < 0) {
        v.accept("ephemeral-storage limit " + ephemeral + " is below the temp volume's size");
      }
    }));
  }

  @Test
  void theWorkersGracePeriodCoversItsLongestJob() {
    assertNone(perService((config, w, c, env, v) -> {
      if (!config.service.equals("worker")) {
        return;
      }
      Duration job = Duration.ZERO;
      for (String property : List.of("mp3.source.total-timeout", "mp3.ffmpeg.probe-timeout", "mp3.ffmpeg.timeout")) {
        job = job.plus(ServiceConfig.duration(config.effective(property, env)
            .orElseThrow(() -> new AssertionError("worker.yaml has no " + property))));
      }
      long grace = w.podSpec().path("terminationGracePeriodSeconds").asLong();
      String camel = env.get("CAMEL_MAIN_SHUTDOWNTIMEOUT");
      if (camel == null) {
        v.accept("CAMEL_MAIN_SHUTDOWNTIMEOUT is not set: Camel would stop in-flight jobs after 45 s");
        return;
      }
      long drain = Long.parseLong(camel);
      if (drain < job.toSeconds()) {
        v.accept("Camel waits " + drain + " s for in-flight jobs, the longest takes " + job.toSeconds() + " s");
      }
      if (grace < drain + 30) {
        v.accept("terminationGracePeriodSeconds " + grace + " leaves under 30 s beyond Camel's " + drain + " s drain");
      }
    }));
  }

  @Test
  void theWorkersEgressPortsAreTheSourcePortsItAllows() {
    assertNone(perService((config, w, c, env, v) -> {
      if (!config.service.equals("worker") || !w.variant().has("network-policies")) {
        return;
      }
      Set<Integer> allowed = new TreeSet<>();
      for (String p : config.effective("mp3.source.allowed-ports", env).orElse("80,443").split(",")) {
        allowed.add(Integer.parseInt(p.trim()));
      }
      Set<Integer> open = new TreeSet<>();
      JsonNode policy = w.variant().get("NetworkPolicy", "worker");
      for (JsonNode rule : policy.path("spec").path("egress")) {
        if (rule.path("to").toString().contains("0.0.0.0/0")) {
          rule.path("ports").forEach(p -> open.add(p.path("port").asInt()));
        }
      }
      if (!open.equals(allowed)) {
        v.accept("public egress ports " + open + " differ from the source ports the worker allows " + allowed);
      }
    }));
  }

  @Test
  void prometheusScrapesTheActuatorEndpointOnTheManagementPort() {
    assertNone(perService((config, w, c, env, v) -> {
      if (!w.variant().has("prometheus-scrape")) {
        return;
      }
      JsonNode annotations = w.template().path("metadata").path("annotations");
      if (!"true".equals(annotations.path("prometheus.io/scrape").asText())) {
        v.accept("not annotated for scraping");
      }
      if (!env.get("MANAGEMENT_SERVER_PORT").equals(annotations.path("prometheus.io/port").asText())) {
        v.accept("scrape port " + annotations.path("prometheus.io/port").asText() + " is not the management port");
      }
      if (!"/actuator/prometheus".equals(annotations.path("prometheus.io/path").asText())) {
        v.accept("scrape path is " + annotations.path("prometheus.io/path").asText());
      }
      if (!exposure(config).contains("prometheus")) {
        v.accept(config.service + ".yaml does not expose the prometheus endpoint");
      }
    }));
  }

  @Test
  void queuesAreQuorumQueuesInProdAndNeverPrivateSources() {
    assertNone(perService((config, w, c, env, v) -> {
      if (!config.service.equals("auth") && w.variant().isProd() && !"true".equals(env.get("MP3_AMQP_QUORUM"))) {
        v.accept("MP3_AMQP_QUORUM is " + env.get("MP3_AMQP_QUORUM") + " in prod");
      }
      if ("true".equalsIgnoreCase(env.get("MP3_ALLOW_PRIVATE_SOURCES"))) {
        v.accept("MP3_ALLOW_PRIVATE_SOURCES=true opens private addresses to source URLs");
      }
    }));
  }

  @Test
  void autoscalersTargetTheWorkerAndItsQueue() {
    String topology = Repo.read(Repo.root().resolve(
        "src-shared/core/src/main/java/com/mp3converter/shared/messages/Topology.java"));
    Matcher q = Pattern.compile("WORKER_QUEUE\\s*=\\s*\"([^\"]+)\"").matcher(topology);
    assertThat(q.find()).as("Topology.WORKER_QUEUE").isTrue();
    List<String> violations = new ArrayList<>();
    for (Rendered r : Renders.all()) {
      for (JsonNode hpa : r.kind("HorizontalPodAutoscaler")) {
        JsonNode ref = hpa.path("spec").path("scaleTargetRef");
        Workload w = r.workload(ref.path("name").asText());
        if (!ref.path("kind").asText().equals(w.kind())) {
          violations.add(r + ": HPA targets a " + ref.path("kind").asText() + ", " + w.name() + " is a " + w.kind());
        }
        if (w.mainContainer().path("resources").path("requests").path("cpu").isMissingNode()) {
          violations.add(r + ": HPA on CPU but " + w.name() + " requests no CPU");
        }
        if (w.object().path("spec").has("replicas")) {
          violations.add(r + ": " + w.name() + " sets replicas although an autoscaler owns them");
        }
      }
      for (JsonNode so : r.kind("ScaledObject")) {
        Workload w = r.workload(so.path("spec").path("scaleTargetRef").path("name").asText());
        if (w.object().path("spec").has("replicas")) {
          violations.add(r + ": " + w.name() + " sets replicas although KEDA owns them");
        }
        for (JsonNode t : so.path("spec").path("triggers")) {
          if (!q.group(1).equals(t.path("metadata").path("queueName").asText())) {
            violations.add(r + ": KEDA watches queue " + t.path("metadata").path("queueName").asText()
                + ", the worker consumes " + q.group(1));
          }
          String auth = t.path("authenticationRef").path("name").asText();
          Optional<JsonNode> ta = r.find("TriggerAuthentication", auth);
          if (ta.isEmpty()) {
            violations.add(r + ": TriggerAuthentication " + auth + " is not rendered");
            continue;
          }
          for (JsonNode ref : ta.get().path("spec").path("secretTargetRef")) {
            Optional<JsonNode> secret = r.secret(ref.path("name").asText());
            String url = secret.map(s -> Environment.decode(s.path("data").path(ref.path("key").asText()))).orElse(null);
            if (url == null) {
              violations.add(r + ": KEDA's secret " + ref.path("name").asText() + "/" + ref.path("key").asText()
                  + " is not rendered");
              continue;
            }
            checkUrl(r, r + ": KEDA management URL", url, Set.of(), violations::add);
            // KEDA's own monitoring user, as the rabbitmq-users Job creates it, never the administrator.
            Workload users = r.workload("rabbitmq-users");
            Map<String, String> usersEnv = Environment.of(users, users.mainContainer());
            String credentials = "keda:" + usersEnv.get("KEDA_RABBITMQ_PASSWORD") + "@";
            if (!url.contains("//" + credentials)) {
              violations.add(r + ": KEDA's management URL does not carry the keda user and the password rabbitmq-users sets");
            }
          }
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void serviceImagesAreTheServicesOwn() {
    assertNone(perService((config, w, c, env, v) -> {
      String repository = PolicyTest.Image.parse(c.path("image").asText()).repository();
      if (!repository.endsWith("mp3-converter/" + config.service)) {
        v.accept("runs image " + repository + ", not mp3-converter/" + config.service);
      }
    }));
  }

  /** Kubernetes Ingress path matching: Exact is string equality; Prefix compares whole path elements. */
  static boolean matches(String type, String rulePath, String path) {
    if (type.equals("Exact")) {
      return rulePath.equals(path);
    }
    List<String> rule = elements(rulePath);
    List<String> req = elements(path);
    return req.size() >= rule.size() && req.subList(0, rule.size()).equals(rule);
  }

  private static List<String> elements(String path) {
    List<String> out = new ArrayList<>();
    for (String e : path.split("/")) {
      if (!e.isEmpty()) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<Workload> selected(Rendered r, JsonNode service) {
    JsonNode selector = service.path("spec").path("selector");
    Map<String, String> wanted = new LinkedHashMap<>();
    selector.properties().forEach(e -> wanted.put(e.getKey(), e.getValue().asText()));
    return r.workloads().stream().filter(w -> w.podLabels().entrySet().containsAll(wanted.entrySet())).toList();
  }

  private static int servicePortToContainerPort(Rendered r, String service, JsonNode port) {
    JsonNode svc = r.get("Service", service);
    for (JsonNode p : svc.path("spec").path("ports")) {
      boolean same = port.has("name") ? p.path("name").asText().equals(port.path("name").asText())
          : p.path("port").asInt() == port.path("number").asInt();
      if (same) {
        JsonNode target = p.has("targetPort") ? p.path("targetPort") : p.path("port");
        return selected(r, svc).stream().mapToInt(w -> w.containerPort(target)).findFirst().orElse(-1);
      }
    }
    return -1;
  }

  private static JsonNode mountedEmptyDir(Workload w, JsonNode c, String dir) {
    for (JsonNode m : c.path("volumeMounts")) {
      String mount = m.path("mountPath").asText();
      if (dir.equals(mount) || dir.startsWith(mount.endsWith("/") ? mount : mount + "/")) {
        for (JsonNode vol : w.podSpec().path("volumes")) {
          if (vol.path("name").asText().equals(m.path("name").asText()) && vol.has("emptyDir")) {
            return vol;
          }
        }
      }
    }
    return null;
  }

  private static Set<String> exposure(ServiceConfig config) {
    Set<String> exposed = new HashSet<>();
    config.raw("management.endpoints.web.exposure.include").ifPresent(s -> {
      for (String e : s.replaceAll("[\\[\\]\" ]", "").split(",")) {
        exposed.add(e);
      }
    });
    if (exposed.isEmpty()) {
      exposed.add("health");
    }
    return exposed;
  }
}
