package com.mp3converter.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where things are: the tests run with the k8s module as working directory (Surefire's default). */
final class Repo {
  static final List<String> SERVICES = List.of("auth", "gateway", "worker", "notifier");

  private Repo() {}

  static Path k8s() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    if (Files.isDirectory(here.resolve("base")) && Files.isDirectory(here.resolve("overlays"))) {
      return here;
    }
    // Run from the repository root (an IDE, `mvn -f k8s/pom.xml` from elsewhere).
    Path nested = here.resolve("k8s");
    if (Files.isDirectory(nested.resolve("base"))) {
      return nested;
    }
    throw new IllegalStateException("cannot find the k8s folder from " + here);
  }

  static Path root() {
    return k8s().getParent();
  }

  static Path target() {
    return k8s().resolve("target");
  }

  static Path serviceConfig(String service) {
    return root().resolve("services").resolve(service).resolve("src/main/resources").resolve(service + ".yaml");
  }

  /**
   * The AMQP settings every service with the Rabbit client reads behind its own file (AmqpEnvironment in
   * src-shared/core).
   */
  static Path sharedAmqpConfig() {
    return root().resolve("src-shared/core/src/main/resources/mp3-amqp.yaml");
  }

  /**
   * The management settings every service reads behind its own file, the console users' passwords among them
   * (ManagementEnvironment in src-shared/management).
   */
  static Path sharedManagementConfig() {
    return root().resolve("src-shared/management/src/main/resources/mp3-management.yaml");
  }

  static Path sharedObservabilityConfig() {
    return root().resolve("src-shared/observability/src/main/resources/mp3-observability.yaml");
  }

  static boolean talksAmqp(String service) {
    return read(root().resolve("services").resolve(service).resolve("pom.xml"))
        .contains("<artifactId>camel-spring-rabbitmq-starter</artifactId>");
  }

  /** The one Dockerfile of the services; the build argument SERVICE chooses the image. */
  static Path dockerfile() {
    return root().resolve("services").resolve("Dockerfile");
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
