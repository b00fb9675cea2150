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

/** Static checks of the services' Dockerfiles and of the build context's .dockerignore. */
class DockerfileTest {
  private static final Pattern PINNED_TAG = Pattern.compile("[^:@/]+(/[^:@]+)*:(?!latest$)[^@]*\\d+\\.\\d+[^@]*(@sha256:[0-9a-f]{64})?");
  private static final Pattern DIGEST = Pattern.compile(".+@sha256:[0-9a-f]{64}");
  private static final Pattern SECRET_SOURCE = Pattern.compile(
      "(?i).*(secrets?/|\\.env$|\\.pem$|\\.key$|\\.crt$|id_rsa|id_ed25519|\\.m2/settings\\.xml|\\.git(/|$)|\\.npmrc|\\.netrc).*");

  private static List<String> each(DockerfileCheck check) {
    List<String> violations = new ArrayList<>();
    for (String service : Repo.SERVICES) {
      Path file = Repo.dockerfile(service);
      if (!Files.isRegularFile(file)) {
        violations.add(service + ": no Dockerfile at " + Repo.root().relativize(file));
        continue;
      }
      check.accept(service, Dockerfile.parse(Repo.read(file)), v -> violations.add(service + "/Dockerfile: " + v));
    }
    return violations;
  }

  interface DockerfileCheck {
    void accept(String service, Dockerfile dockerfile, Consumer<String> violation);
  }

  @Test
  void baseImagesArePinnedToAVersion() {
    assertNone(each((service, d, v) -> {
      for (Dockerfile.Stage stage : d.stages()) {
        String image = stage.image();
        if (d.isStage(image)) {
          continue;
        }
        if (!PINNED_TAG.matcher(image).matches() && !DIGEST.matcher(image).matches()) {
          v.accept("FROM " + image + " is not pinned to a version tag or digest");
        }
        if (image.contains("${")) {
          v.accept("FROM " + image + " depends on a build argument");
        }
      }
      if (d.stages().size() < 2) {
        v.accept("not a multi-stage build (Maven build, then a JRE runtime)");
      }
      if (!d.stages().get(0).image().startsWith("maven:")) {
        v.accept("the build stage is not a Maven image");
      }
      if (!d.last().image().contains("-jre")) {
        v.accept("the runtime stage " + d.last().image() + " is not a JRE image");
      }
    }));
  }

  @Test
  void theImageRunsAsTheNonRootUserTheManifestsExpect() {
    Rendered dev = Renders.get("dev");
    assertNone(each((service, d, v) -> {
      List<Dockerfile.Instruction> users = d.last().all("USER");
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
        "services/worker/pom.xml", "services/worker/Dockerfile", "routes/worker/convert.camel.yaml")) {
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
      Dockerfile.Stage build = d.stages().get(0);
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
      String env = String.join(" ", d.last().all("ENV").stream().map(Dockerfile.Instruction::args).toList());
      if (!env.matches("(?s).*JAVA_TOOL_OPTIONS=\"[^\"]*-XX:MaxRAMPercentage=\\d+.*")) {
        v.accept("JAVA_TOOL_OPTIONS does not size the heap from the container (-XX:MaxRAMPercentage)");
      }
      List<String> exposed = new ArrayList<>();
      d.last().all("EXPOSE").forEach(i -> exposed.addAll(List.of(i.args().split("\\s+"))));
      for (JsonNode port : dev.workload(service).mainContainer().path("ports")) {
        if (!exposed.contains(port.path("containerPort").asText())) {
          v.accept("does not EXPOSE " + port.path("containerPort").asText() + ", a port of the Deployment");
        }
      }
      List<Dockerfile.Instruction> health = d.last().all("HEALTHCHECK");
      if (health.isEmpty() || !health.get(0).args().contains("/actuator/health/liveness")) {
        v.accept("no HEALTHCHECK on the liveness group");
      }
      List<Dockerfile.Instruction> entry = d.last().all("ENTRYPOINT");
      if (entry.isEmpty() || !entry.get(0).args().startsWith("[")) {
        v.accept("ENTRYPOINT is missing or in shell form (java would not get SIGTERM)");
      }
    }));
  }

  @Test
  void theWorkerImageCarriesFfmpegWhereTheManifestsLookForIt() {
    Dockerfile worker = Dockerfile.parse(Repo.read(Repo.dockerfile("worker")));
    String runs = String.join(" ", worker.last().all("RUN").stream().map(Dockerfile.Instruction::args).toList());
    assertThat(runs).contains("apt-get install").contains("ffmpeg").contains("rm -rf /var/lib/apt/lists");
    Rendered dev = Renders.get("dev");
    Workload w = dev.workload("worker");
    Map<String, String> env = Environment.of(w, w.mainContainer());
    String env2 = String.join(" ", worker.last().all("ENV").stream().map(Dockerfile.Instruction::args).toList());
    assertThat(env2).contains("MP3_FFMPEG_PATH=" + env.get("MP3_FFMPEG_PATH"));
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
