package com.mp3converter.k8s;

import static com.mp3converter.k8s.Checks.assertNone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the services' one Dockerfile, read as Docker reads it for each service (build argument
 * SERVICE), and of the build context's .dockerignore.
 */
class DockerfileTest {
  private static final Pattern PINNED_TAG = Pattern.compile("[^:@/]+(/[^:@]+)*:(?!latest$)[^@]*\\d+\\.\\d+[^@]*(@sha256:[0-9a-f]{64})?");
  private static final Pattern DIGEST = Pattern.compile(".+@sha256:[0-9a-f]{64}");
  /** An image named by digest alone, e.g. {@code maven@sha256:...}: its tag belongs in the comment above. */
  private static final Pattern DIGEST_ONLY = Pattern.compile("([^:@]+)@sha256:[0-9a-f]{64}");
  private static final Pattern SECRET_SOURCE = Pattern.compile(
      "(?i).*(secrets?/|\\.env$|\\.pem$|\\.key$|\\.crt$|id_rsa|id_ed25519|\\.m2/settings\\.xml|\\.git(/|$)|\\.npmrc|\\.netrc).*");

  private static List<String> each(DockerfileCheck check) {
    Path file = Repo.dockerfile();
    if (!Files.isRegularFile(file)) {
      return List.of("no Dockerfile at " + Repo.root().relativize(file));
    }
    List<String> violations = new ArrayList<>();
    for (String service : Repo.SERVICES) {
      check.accept(service, image(service), v -> violations.add("SERVICE=" + service + ": " + v));
    }
    return violations;
  }

  private static Dockerfile image(String service) {
    return Dockerfile.parse(Repo.read(Repo.dockerfile()), Map.of("SERVICE", service));
  }

  /**
   * The {@code name:tag} an outside image is pinned to: from FROM itself, or, for an image pinned by digest alone,
   * from the comment right above it. Null if neither names one.
   */
  static String namedTag(Dockerfile.Stage stage) {
    Matcher digestOnly = DIGEST_ONLY.matcher(stage.image());
    if (!digestOnly.matches()) {
      return stage.image().replaceAll("@sha256:[0-9a-f]{64}$", "");
    }
    Matcher tag = Pattern.compile("(?<![^\\s])" + Pattern.quote(digestOnly.group(1)) + ":\\S+").matcher(stage.comment());
    return tag.find() ? tag.group() : null;
  }

  interface DockerfileCheck {
    void accept(String service, Dockerfile dockerfile, Consumer<String> violation);
  }

  @Test
  void baseImagesArePinnedToAVersionAndADigest() {
    assertNone(each((service, d, v) -> {
      for (Dockerfile.Stage stage : d.stages()) {
        String image = stage.image();
        if (d.isStage(image)) {
          continue;
        }
        if (image.contains("$")) {
          v.accept("FROM " + image + " depends on a build argument that is not declared before the first FROM");
          continue;
        }
        if (!DIGEST.matcher(image).matches()) {
          // A tag alone can be rebuilt under us (official images are, for every OS update).
          v.accept("FROM " + image + " is not pinned to a digest (image:tag@sha256:...)");
        }
        String tag = namedTag(stage);
        if (tag == null) {
          v.accept("FROM " + image + " is pinned by digest but the comment above it does not name its tag");
        } else if (!PINNED_TAG.matcher(tag).matches()) {
          v.accept("FROM " + image + " names " + tag + ", not a version tag");
        }
      }
      if (d.stages().size() < 2) {
        v.accept("not a multi-stage build (Maven build, then a JRE runtime)");
      }
      String build = namedTag(d.lineage(d.stage("build")).get(0));
      if (build == null || !build.startsWith("maven:")) {
        v.accept("the build stage is not a Maven image");
      }
      String runtime = namedTag(d.lineage(d.last()).get(0));
      if (runtime == null || !runtime.contains("-jre")) {
        v.accept("the image is built on " + d.baseImage(d.last()) + ", not a JRE image");
      }
    }));
  }

  @Test
  void oneDockerfileBuildsEveryServiceByName() {
    List<String> violations = new ArrayList<>();
    for (String service : Repo.SERVICES) {
      Path copy = Repo.root().resolve("services").resolve(service).resolve("Dockerfile");
      if (Files.exists(copy)) {
        violations.add(Repo.root().relativize(copy) + " copies the one Dockerfile, services/Dockerfile");
      }
    }
    // Without SERVICE the last FROM names no stage, and Docker refuses the build instead of picking a service.
    Dockerfile unnamed = Dockerfile.parse(Repo.read(Repo.dockerfile()));
    if (unnamed.isStage(unnamed.last().image())) {
      violations.add("without SERVICE the build still makes an image, from " + unnamed.last().image());
    }
    for (String service : Repo.SERVICES) {
      Dockerfile d = image(service);
      if (!d.isStage(d.last().image())) {
        violations.add("SERVICE=" + service + " names no runtime stage: FROM " + d.last().image());
      }
    }
    assertNone(violations);
  }

  @Test
  void theImageRunsAsTheNonRootUserTheManifestsExpect() {
    Rendered dev = Renders.get("dev");
    assertNone(each((service, d, v) -> {
      List<Dockerfile.Instruction> users = d.all(d.last(), "USER");
      if (users.isEmpty()) {
        v.accept("the runtime stage has no USER: it would run as root");
        return;
      }
      String user = users.get(users.size() - 1).args().split(":")[0];
      if (!user.matches("\\d+") || user.equals("0")) {
        v.accept("USER " + user + " is not a numeric non-root uid (runAsNonRoot can only verify numbers)");
        return;
      }
      JsonNode runAs = dev.workload(service).podSpec().path("securityContext").path("runAsUser");
      if (runAs.asInt() != Integer.parseInt(user)) {
        v.accept("USER " + user + " but the Deployment runs as " + runAs);
      }
    }));
  }

  @Test
  void noSecretsAreCopiedIntoTheImageOrTheBuild() {
    assertNone(each((service, d, v) -> {
      for (Dockerfile.Stage stage : d.stages()) {
        for (Dockerfile.Instruction i : stage.instructions()) {
          if (i.keyword().equals("ADD") && i.args().matches("(?s).*(https?|git)://.*")) {
            v.accept("ADD fetches from the network: " + i.args());
          }
          if (i.keyword().equals("COPY") || i.keyword().equals("ADD")) {
            List<String> words = new ArrayList<>(List.of(i.args().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            for (String src : words.subList(0, Math.max(0, words.size() - 1))) {
              if (SECRET_SOURCE.matcher(src).matches()) {
                v.accept(i.keyword() + " copies " + src);
              }
            }
          }
          if (i.keyword().equals("ENV") || i.keyword().equals("ARG")) {
            for (String word : i.args().split("\\s+")) {
              String name = word.split("=")[0];
              if (Checks.secretName(name, "")) {
                v.accept(i.keyword() + " " + name + " puts a credential into the image's metadata");
              }
            }
          }
        }
      }
    }));
  }

  @Test
  void theBuildContextLeavesSecretsAndBuildOutputOut() {
    Path file = Repo.root().resolve(".dockerignore");
    assertThat(file).as("the build context is the repository root: it needs a .dockerignore").isRegularFile();
    DockerIgnore ignore = new DockerIgnore(Repo.read(file));
    List<String> violations = new ArrayList<>();
    for (String path : List.of("k8s/overlays/dev/secrets/app.env", "k8s/overlays/prod/secrets/tls.key",
        "k8s/overlays/prod/secrets/auth-signing-key.pem", "k8s/overlays/dev/secrets/postgres.env", ".git/config",
        "services/auth/target/auth-0.1.0-SNAPSHOT-exec.jar", "target/x", "somewhere/.env", "k8s/base/auth.yaml")) {
      if (!ignore.excludes(path)) {
        violations.add(path + " would be sent to the Docker build");
      }
    }
    for (String path : List.of("pom.xml", "k8s/pom.xml", "src-shared/core/pom.xml",
        "src-shared/core/src/main/java/com/mp3converter/shared/messages/Topology.java", "services/pom.xml",
        "services/worker/pom.xml", "services/Dockerfile", "routes/worker/convert.camel.yaml")) {
      if (ignore.excludes(path)) {
        violations.add(path + " is left out of the build context, the build needs it");
      }
    }
    assertNone(violations);
  }

  @Test
  void theBuildPackagesTheServiceWithTheWholeReactorPresent() {
    String rootPom = Repo.read(Repo.root().resolve("pom.xml"));
    Matcher version = Pattern.compile("<artifactId>mp3-converter</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(rootPom);
    assertThat(version.find()).as("the root POM's version").isTrue();
    assertThat(rootPom).as("the exec classifier the Dockerfiles rely on").contains("<classifier>exec</classifier>");
    List<String> modules = new ArrayList<>();
    collectModules(Repo.root(), "", modules);
    DockerIgnore ignore = new DockerIgnore(Repo.read(Repo.root().resolve(".dockerignore")));
    assertNone(each((service, d, v) -> {
      Dockerfile.Stage build = d.stage("build");
      String runs = String.join(" ", build.all("RUN").stream().map(Dockerfile.Instruction::args).toList());
      if (!runs.matches(".*-pl services/" + service + "( |$).*") || !runs.contains("-am")) {
        v.accept("does not build services/" + service + " with its dependencies (-pl services/" + service + " -am)");
      }
      String jar = "services/" + service + "/target/" + service + "-" + version.group(1) + "-exec.jar";
      if (!runs.contains(jar)) {
        v.accept("does not use the jar the build makes, " + jar);
      }
      List<String> copied = new ArrayList<>();
      for (Dockerfile.Instruction i : build.all("COPY")) {
        String[] words = i.args().split("\\s+");
        for (int k = 0; k < words.length - 1; k++) {
          if (!words[k].startsWith("--")) {
            copied.add(words[k].replaceAll("/$", ""));
          }
        }
      }
      for (String module : modules) {
        String pom = module.isEmpty() ? "pom.xml" : module + "/pom.xml";
        boolean present = copied.stream().anyMatch(c -> pom.equals(c) || pom.startsWith(c + "/"));
        if (!present || ignore.excludes(pom)) {
          v.accept(pom + " is not in the build: Maven cannot read the reactor without it");
        }
      }
    }));
  }

  @Test
  void theRuntimeIsSizedForItsContainerAndChecksItsHealth() {
    Rendered dev = Renders.get("dev");
    assertNone(each((service, d, v) -> {
      String javaOptions = d.env(d.last()).getOrDefault("JAVA_TOOL_OPTIONS", "");
      if (!javaOptions.matches(".*-XX:MaxRAMPercentage=\\d+.*")) {
        v.accept("JAVA_TOOL_OPTIONS does not size the heap from the container (-XX:MaxRAMPercentage)");
      }
      List<String> exposed = new ArrayList<>();
      d.all(d.last(), "EXPOSE").forEach(i -> exposed.addAll(List.of(i.args().split("\\s+"))));
      for (JsonNode port : dev.workload(service).mainContainer().path("ports")) {
        if (!exposed.contains(port.path("containerPort").asText())) {
          v.accept("does not EXPOSE " + port.path("containerPort").asText() + ", a port of the Deployment");
        }
      }
      List<Dockerfile.Instruction> health = d.all(d.last(), "HEALTHCHECK");
      if (health.isEmpty() || !health.get(health.size() - 1).args().contains("/actuator/health/liveness")) {
        v.accept("no HEALTHCHECK on the liveness group");
      }
      List<Dockerfile.Instruction> entry = d.all(d.last(), "ENTRYPOINT");
      if (entry.isEmpty() || !entry.get(entry.size() - 1).args().startsWith("[")) {
        v.accept("ENTRYPOINT is missing or in shell form (java would not get SIGTERM)");
      }
    }));
  }

  /**
   * services/jvm.options holds the JVM settings every service shares: the image starts java with it, the start-up
   * benchmark and the run command (the launcher) run with it, and no Deployment's or image's JAVA_TOOL_OPTIONS picks another collector or stack
   * size behind its back (the benchmark would then measure a JVM that is not the one deployed).
   */
  @Test
  void theImageTheManifestsAndTheBenchmarkShareOneSetOfJvmSettings() {
    Path options = Repo.root().resolve("services/jvm.options");
    assertThat(options).as("the services' JVM settings").exists();
    assertThat(Repo.read(Repo.root().resolve("bench/startup.sh"))).contains("java @\"$root\"/services/jvm.options");
    // The run command (and so bench/run.sh, which measures it) runs the four services with the same file, with the
    // JIT not stopped at C1 by spring-boot:run's optimized launch.
    assertThat(Repo.read(Repo.root().resolve("services/launcher/pom.xml")))
        .contains("<jvmArguments>@${maven.multiModuleProjectDirectory}/services/jvm.options</jvmArguments>")
        .contains("<optimizedLaunch>false</optimizedLaunch>");
    Pattern ownSetting = Pattern.compile("-XX:[+-]Use\\w+GC|-Xss\\S+|-XX:ThreadStackSize=\\S+");
    Rendered dev = Renders.get("dev");
    assertNone(each((service, d, v) -> {
      boolean copied = d.all(d.last(), "COPY").stream()
          .anyMatch(i -> i.args().matches(".*/services/jvm\\.options\\s+/app/jvm\\.options"));
      if (!copied) {
        v.accept("does not COPY services/jvm.options to /app/jvm.options");
      }
      List<Dockerfile.Instruction> entry = d.all(d.last(), "ENTRYPOINT");
      if (entry.isEmpty() || !entry.get(entry.size() - 1).args().matches("\\[\\s*\"java\",\\s*\"@/app/jvm\\.options\".*")) {
        v.accept("ENTRYPOINT does not start java with @/app/jvm.options");
      }
      Workload w = dev.workload(service);
      for (String javaOptions : List.of(d.env(d.last()).getOrDefault("JAVA_TOOL_OPTIONS", ""),
          Environment.of(w, w.mainContainer()).getOrDefault("JAVA_TOOL_OPTIONS", ""))) {
        Matcher m = ownSetting.matcher(javaOptions);
        if (m.find()) {
          v.accept("JAVA_TOOL_OPTIONS sets " + m.group() + ", which services/jvm.options decides");
        }
      }
    }));
  }

  /**
   * Class-data sharing: the image archives its classes with services/cds-training.sh, run by the image's own JVM
   * on the jar it starts, and starts with that archive; bench/startup.sh trains and starts the same way, so the
   * start-up it measures is the image's.
   */
  @Test
  void theImageAndTheBenchmarkStartFromAClassDataArchiveMadeTheSameWay() {
    String startup = Repo.read(Repo.root().resolve("bench/startup.sh"));
    assertThat(startup).contains("services/cds-training.sh \"$app\" services/jvm.options")
        .contains("-XX:SharedArchiveFile=application.jsa").contains("-jar app.jar")
        .contains("--application-filename app.jar");
    assertThat(Repo.read(Repo.root().resolve("services/cds-training.sh")))
        .contains("-XX:ArchiveClassesAtExit=application.jsa").contains("-Dspring.context.exit=onRefresh")
        .contains("-jar app.jar");
    assertNone(each((service, d, v) -> {
      String build = String.join(" ", d.stage("build").all("RUN").stream().map(Dockerfile.Instruction::args).toList());
      if (!build.contains("extract --layers") || !build.contains("--application-filename app.jar")
          || build.contains("--launcher")) {
        v.accept("the build does not extract app.jar and lib/ (the launcher's class loader would keep the"
            + " application's classes out of the archive)");
      }
      boolean trained = d.all(d.last(), "RUN").stream()
          .anyMatch(i -> i.args().matches(".*cds-training\\.sh /app /app/jvm\\.options.*"));
      if (!trained) {
        v.accept("the image's own stage does not run cds-training.sh /app /app/jvm.options");
      }
      List<Dockerfile.Instruction> entry = d.all(d.last(), "ENTRYPOINT");
      String args = entry.isEmpty() ? "" : entry.get(entry.size() - 1).args();
      if (!args.contains("\"-XX:SharedArchiveFile=/app/application.jsa\"") || !args.contains("\"-jar\", \"/app/app.jar\"")) {
        v.accept("ENTRYPOINT does not start /app/app.jar with /app/application.jsa: " + args);
      }
    }));
  }

  @Test
  void theWorkerImageAloneCarriesFfmpegWhereTheManifestsLookForIt() {
    Dockerfile worker = image("worker");
    assertThat(runs(worker)).contains("apt-get install").contains("ffmpeg").contains("rm -rf /var/lib/apt/lists");
    Rendered dev = Renders.get("dev");
    Workload w = dev.workload("worker");
    Map<String, String> env = Environment.of(w, w.mainContainer());
    Map<String, String> image = worker.env(worker.last());
    assertThat(image).containsEntry("MP3_FFMPEG_PATH", env.get("MP3_FFMPEG_PATH"));
    Matcher heap = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(image.get("JAVA_TOOL_OPTIONS"));
    assertThat(heap.find()).isTrue();
    assertThat(Integer.parseInt(heap.group(1))).as("the JVM's share: ffmpeg runs beside it in the same limit")
        .isLessThanOrEqualTo(50);
    for (String service : Repo.SERVICES) {
      if (!service.equals("worker")) {
        assertThat(runs(image(service))).as(service + " needs no ffmpeg").doesNotContain("ffmpeg");
      }
    }
  }

  private static String runs(Dockerfile d) {
    return String.join(" ", d.all(d.last(), "RUN").stream().map(Dockerfile.Instruction::args).toList());
  }

  @Test
  void theParsersReadWhatDockerReads() {
    Dockerfile d = Dockerfile.parse("""
        # syntax=docker/dockerfile:1
        FROM maven:3.9.11-eclipse-temurin-17 AS build
        RUN mvn \\
            package
        FROM eclipse-temurin:17.0.16_8-jre-noble
        COPY --from=build /x /y
        USER 10001:10001
        """);
    assertThat(d.stages()).hasSize(2);
    assertThat(d.stages().get(0).all("RUN").get(0).args()).isEqualTo("mvn package");
    assertThat(d.isStage("build")).isTrue();
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    String perService = """
        ARG SERVICE
        # the build image: maven:3.9.11-eclipse-temurin-17
        FROM maven@%s AS build
        ARG SERVICE
        RUN mvn -pl services/${SERVICE} -am package && echo $SERVICE $HOME

        FROM eclipse-temurin:17.0.16_8-jre-noble AS runtime
        ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Xss1m" PORT=8080
        FROM runtime AS runtime-auth
        FROM runtime AS runtime-worker
        ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50"
        # not a comment of the next FROM: a blank line comes between

        FROM runtime-${SERVICE}
        USER 10001:10001
        """.formatted(digest);
    Dockerfile worker = Dockerfile.parse(perService, Map.of("SERVICE", "worker"));
    assertThat(worker.stage("build").all("RUN").get(0).args())
        .isEqualTo("mvn -pl services/worker -am package && echo worker $HOME");
    assertThat(worker.last().image()).isEqualTo("runtime-worker");
    assertThat(worker.last().comment()).isEmpty();
    assertThat(worker.lineage(worker.last())).extracting(Dockerfile.Stage::alias)
        .containsExactly("runtime", "runtime-worker", null);
    assertThat(worker.baseImage(worker.last())).isEqualTo("eclipse-temurin:17.0.16_8-jre-noble");
    assertThat(worker.env(worker.last())).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=50")
        .containsEntry("PORT", "8080");
    assertThat(worker.all(worker.last(), "USER")).hasSize(1);
    assertThat(namedTag(worker.stage("build"))).isEqualTo("maven:3.9.11-eclipse-temurin-17");
    assertThat(namedTag(worker.stage("runtime"))).isEqualTo("eclipse-temurin:17.0.16_8-jre-noble");
    Dockerfile auth = Dockerfile.parse(perService, Map.of("SERVICE", "auth"));
    assertThat(auth.env(auth.last())).containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -Xss1m");
    assertThat(Dockerfile.parse(perService).last().image()).as("no build argument given").isEqualTo("runtime-");
    assertThat(Dockerfile.parse(perService.replace("ARG SERVICE\n#", "#")).last().image())
        .as("FROM cannot see an argument declared in a stage").isEqualTo("runtime-${SERVICE}");
    assertThat(namedTag(Dockerfile.parse("FROM maven@" + digest + " AS build\n").stage("build"))).isNull();
    assertThat(PINNED_TAG.matcher("eclipse-temurin:17.0.16_8-jre-noble").matches()).isTrue();
    assertThat(PINNED_TAG.matcher("eclipse-temurin:17-jre").matches()).isFalse();
    assertThat(PINNED_TAG.matcher("eclipse-temurin:latest").matches()).isFalse();
    assertThat(PINNED_TAG.matcher("eclipse-temurin").matches()).isFalse();
    DockerIgnore ignore = new DockerIgnore("**\n!services/**\n**/target/\n");
    assertThat(ignore.excludes("services/a/pom.xml")).isFalse();
    assertThat(ignore.excludes("services/a/target/x.jar")).isTrue();
    assertThat(ignore.excludes("target")).isTrue();
    assertThat(ignore.excludes("README.md")).isTrue();
  }

  /** Module folders of the reactor, from the root POM down (the root itself as ""). */
  private static void collectModules(Path root, String dir, List<String> out) {
    out.add(dir);
    Path pom = root.resolve(dir.isEmpty() ? "pom.xml" : dir + "/pom.xml");
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Repo.read(pom));
    while (m.find()) {
      collectModules(root, dir.isEmpty() ? m.group(1).trim() : dir + "/" + m.group(1).trim(), out);
    }
  }
}
