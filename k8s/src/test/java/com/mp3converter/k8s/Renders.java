package com.mp3converter.k8s;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders every deployable variant once per test JVM with {@code kubectl kustomize}, in a copy of k8s/ under
 * target/ whose secret files come from k8s/generate-secrets.sh (the documented command), so the working tree's own
 * git-ignored secrets are neither needed nor read.
 *
 * <p>Variants: the two overlays as they are, and the opt-in components that no overlay uses by default added to a
 * copy of an overlay, the way docs/deploy.md tells an operator to add them.
 */
final class Renders {
  /** Secret material that the copy must not take from the working tree. */
  static final Pattern SECRET_FILE = Pattern.compile(".*/secrets/[^/]+\\.(env|pem|crt|key)$");

  private static Map<String, Rendered> variants;
  private static Path workspace;
  private static String unavailable;
  private static RuntimeException broken;

  private Renders() {}

  /** All variants; skips the calling test (fails it under CI) when kubectl is missing. */
  static synchronized List<Rendered> all() {
    ensure();
    return List.copyOf(variants.values());
  }

  static synchronized Rendered get(String name) {
    ensure();
    Rendered r = variants.get(name);
    if (r == null) {
      throw new IllegalArgumentException("no variant " + name + " in " + variants.keySet());
    }
    return r;
  }

  /** The k8s copy with generated secrets, for tests that render something else (base alone). */
  static synchronized Path workspace() {
    ensure();
    return workspace;
  }

  private static void ensure() {
    if (broken != null) {
      throw broken;
    }
    if (variants == null && unavailable == null) {
      String kubectl = findKubectl();
      if (kubectl == null) {
        unavailable = "kubectl is not on the PATH: the manifests cannot be rendered";
      } else {
        try {
          build();
        } catch (RuntimeException e) {
          // Render once: every test then reports the same cause instead of rendering again.
          broken = e;
          throw e;
        }
      }
    }
    if (unavailable != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(unavailable + " (CI must have it: the checks of the rendered manifests would be skipped)");
      }
      assumeTrue(false, unavailable);
    }
  }

  private static void build() {
    Path ws = Repo.target().resolve("kustomize-workspace");
    deleteTree(ws);
    copyTree(Repo.k8s().resolve("base"), ws.resolve("base"));
    copyTree(Repo.k8s().resolve("components"), ws.resolve("components"));
    copyTree(Repo.k8s().resolve("overlays"), ws.resolve("overlays"));
    Path script = ws.resolve("generate-secrets.sh");
    copy(Repo.k8s().resolve("generate-secrets.sh"), script);
    for (String overlay : List.of("dev", "prod")) {
      run(List.of("bash", script.toString(), ws.resolve("overlays").resolve(overlay).toString()), ws);
    }

    Map<String, Path> dirs = new LinkedHashMap<>();
    dirs.put("dev", ws.resolve("overlays/dev"));
    dirs.put("prod", ws.resolve("overlays/prod"));
    dirs.put("dev+worker-hpa", variant(ws, "dev", "dev+worker-hpa", List.of(), List.of("worker-hpa")));
    dirs.put("dev+worker-keda", variant(ws, "dev", "dev+worker-keda", List.of(), List.of("worker-keda")));
    dirs.put("prod-keda", variant(ws, "prod", "prod-keda", List.of("worker-hpa"), List.of("worker-keda")));
    // With the Prometheus Operator, monitoring takes the place of annotation discovery (docs/operations.md).
    dirs.put("prod-monitoring",
        variant(ws, "prod", "prod-monitoring", List.of("prometheus-scrape"), List.of("monitoring")));

    Map<String, Rendered> out = new LinkedHashMap<>();
    dirs.forEach((name, dir) -> out.put(name, new Rendered(name, components(dir), Yaml.documents(kustomize(dir)))));
    workspace = ws;
    variants = out;
  }

  /** A copy of an overlay (secrets included) with components removed and added in its kustomization. */
  private static Path variant(Path ws, String from, String name, List<String> remove, List<String> add) {
    Path dir = ws.resolve("overlays").resolve(name);
    copyTree(ws.resolve("overlays").resolve(from), dir, true);
    Path file = dir.resolve("kustomization.yaml");
    ObjectNode k = (ObjectNode) Yaml.document(Repo.read(file));
    ArrayNode components = k.withArray("components");
    int removed = 0;
    for (int i = components.size() - 1; i >= 0; i--) {
      String c = components.get(i).asText();
      if (remove.stream().anyMatch(r -> c.endsWith("/" + r))) {
        components.remove(i);
        removed++;
      }
    }
    if (removed != remove.size()) {
      throw new IllegalStateException("overlay " + from + " does not use all of " + remove);
    }
    add.forEach(c -> components.add("../../components/" + c));
    write(file, Yaml.write(k));
    return dir;
  }

  static List<String> components(Path overlayDir) {
    JsonNode k = Yaml.document(Repo.read(overlayDir.resolve("kustomization.yaml")));
    List<String> names = new ArrayList<>();
    k.path("components").forEach(c -> names.add(Path.of(c.asText()).getFileName().toString()));
    return names;
  }

  static String kustomize(Path dir) {
    return run(List.of(findKubectl(), "kustomize", dir.toString()), dir);
  }

  static String findKubectl() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    return Arrays.stream(path.split(File.pathSeparator))
        .map(p -> Path.of(p, "kubectl"))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst()
        .orElse(null);
  }

  /** Runs a command, returns its standard output; any failure is an error with the command's own words. */
  static String run(List<String> command, Path dir) {
    try {
      Path err = Files.createTempFile("cmd", ".err");
      try {
        Process p = new ProcessBuilder(command).directory(dir.toFile())
            .redirectError(err.toFile())
            .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + Files.readString(err));
        }
        return out;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void copyTree(Path from, Path to) {
    copyTree(from, to, false);
  }

  /** Copies a folder; secret files only with {@code withSecrets} (those generated inside the workspace). */
  static void copyTree(Path from, Path to, boolean withSecrets) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String rel = from.relativize(f).toString().replace(File.separatorChar, '/');
        if (!withSecrets && SECRET_FILE.matcher("/" + rel).matches() && !rel.contains(".example.")) {
          continue;
        }
        Path dest = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          copy(f, dest);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
