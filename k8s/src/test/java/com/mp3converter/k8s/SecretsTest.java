package com.mp3converter.k8s;

import static com.mp3converter.k8s.Checks.assertNone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never live in git: the generators read git-ignored files only, every env file has a committed example
 * with the same keys, and the one documented command (k8s/generate-secrets.sh) writes a complete, usable set.
 */
class SecretsTest {
  private static final List<String> ENV_FILES = List.of("postgres.env", "rabbitmq.env", "minio.env", "app.env");
  /** Named like credentials, but names: the services' S3 users (an access key id is not the secret half). */
  private static final java.util.Set<String> IDENTITIES = java.util.Set.of("GATEWAY_S3_ACCESS_KEY", "WORKER_S3_ACCESS_KEY");

  @TempDir
  Path tmp;

  private Path generate(Path overlay, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", Repo.k8s().resolve("generate-secrets.sh").toString()));
    command.addAll(List.of(args));
    command.add(overlay.toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("generate-secrets.sh: %s", out).isZero();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return overlay.resolve("secrets");
  }

  private Path overlayCopy(String name) throws IOException {
    Path overlay = tmp.resolve(name);
    Files.createDirectories(overlay.resolve("secrets"));
    return overlay;
  }

  static Map<String, String> keys(Path envFile) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String line : Repo.read(envFile).split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      keys.put(l.substring(0, eq), l.substring(eq + 1));
    }
    return keys;
  }

  @Test
  void theDocumentedCommandWritesEveryKeyOfTheExamples() throws Exception {
    Path secrets = generate(overlayCopy("dev"), Map.of("MP3_HOST", "mp3.test.example", "MP3_RESEND_API_KEY", "re_test"));
    for (String overlay : List.of("dev", "prod")) {
      Path examples = Repo.k8s().resolve("overlays").resolve(overlay).resolve("secrets");
      for (String file : ENV_FILES) {
        Map<String, String> example = keys(examples.resolve(file.replace(".env", ".example.env")));
        Map<String, String> generated = keys(secrets.resolve(file));
        assertThat(generated.keySet()).as("%s keys of %s", file, overlay).isEqualTo(example.keySet());
        generated.forEach((k, v) -> assertThat(v).as(k).isNotBlank().doesNotContain("replace"));
      }
    }
    Map<String, String> app = keys(secrets.resolve("app.env"));
    assertThat(app.get("MP3_RESEND_API_KEY")).isEqualTo("re_test");
    assertThat(Base64.getDecoder().decode(app.get("MP3_DOWNLOAD_TOKEN_KEY"))).hasSizeGreaterThanOrEqualTo(32);
    assertThat(app.get("MP3_INTERNAL_TOKEN")).hasSizeGreaterThanOrEqualTo(32);
    Map<String, String> rabbit = keys(secrets.resolve("rabbitmq.env"));
    // Letters and digits only: the rabbitmq-users Job puts them into JSON unescaped, KEDA's into a URL.
    List<String> passwords = List.of("RABBITMQ_ADMIN_PASSWORD", "AUTH_RABBITMQ_PASSWORD", "GATEWAY_RABBITMQ_PASSWORD",
        "WORKER_RABBITMQ_PASSWORD", "NOTIFIER_RABBITMQ_PASSWORD", "KEDA_RABBITMQ_PASSWORD");
    passwords.forEach(key -> assertThat(rabbit.get(key)).as(key).matches("[A-Za-z0-9]{24,}"));
    assertThat(passwords.stream().map(rabbit::get).distinct()).as("one password per user").hasSize(passwords.size());
    assertThat(rabbit.get("RABBITMQ_MANAGEMENT_URL"))
        .isEqualTo("http://keda:" + rabbit.get("KEDA_RABBITMQ_PASSWORD") + "@rabbitmq.mp3.svc.cluster.local:15672/");
    Map<String, String> minio = keys(secrets.resolve("minio.env"));
    assertThat(minio.get("GATEWAY_S3_ACCESS_KEY")).isNotEqualTo(minio.get("WORKER_S3_ACCESS_KEY"));
    assertThat(minio.get("GATEWAY_S3_SECRET_KEY")).isNotEqualTo(minio.get("WORKER_S3_SECRET_KEY"));
    assertThat(keys(secrets.resolve("minio.env")).get("MINIO_ROOT_PASSWORD")).hasSizeGreaterThanOrEqualTo(8);

    // auth reads an unencrypted PKCS#8 Ed25519 key; the Ingress needs a certificate for its host.
    String pem = Repo.read(secrets.resolve("auth-signing-key.pem"));
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    assertThat(key.getAlgorithm()).isIn("EdDSA", "Ed25519");
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(secrets.resolve("tls.crt"))));
    List<String> names = cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
    assertThat(names).contains("mp3.test.example");
    assertThat(Repo.read(secrets.resolve("tls.key"))).contains("PRIVATE KEY");
  }

  @Test
  void everyRunDrawsNewValuesAndNeverOverwritesWithoutForce() throws Exception {
    Path overlay = overlayCopy("dev");
    Path secrets = generate(overlay, Map.of());
    Map<String, String> first = keys(secrets.resolve("postgres.env"));
    Path other = generate(overlayCopy("other"), Map.of());
    assertThat(keys(other.resolve("postgres.env")).get("POSTGRES_PASSWORD")).isNotEqualTo(first.get("POSTGRES_PASSWORD"));

    Process again = new ProcessBuilder("bash", Repo.k8s().resolve("generate-secrets.sh").toString(), overlay.toString())
        .redirectErrorStream(true).start();
    again.getInputStream().readAllBytes();
    assertThat(again.waitFor()).as("a second run without --force").isNotZero();
    assertThat(keys(secrets.resolve("postgres.env"))).isEqualTo(first);

    generate(overlay, Map.of(), "--force");
    assertThat(keys(secrets.resolve("postgres.env")).get("POSTGRES_PASSWORD")).isNotEqualTo(first.get("POSTGRES_PASSWORD"));
    assertThat(Files.getPosixFilePermissions(secrets.resolve("postgres.env")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void generatorsReadOnlyGitIgnoredFilesWithCommittedExamples() {
    assumeTrue(Files.exists(Repo.root().resolve(".git")), "not a git work tree: cannot ask git what it ignores");
    List<String> violations = new ArrayList<>();
    for (String overlay : List.of("dev", "prod")) {
      Path dir = Repo.k8s().resolve("overlays").resolve(overlay);
      JsonNode k = Yaml.document(Repo.read(dir.resolve("kustomization.yaml")));
      List<String> sources = new ArrayList<>();
      for (JsonNode gen : k.path("secretGenerator")) {
        gen.path("envs").forEach(e -> sources.add(e.asText()));
        gen.path("files").forEach(f -> sources.add(f.asText().contains("=") ? f.asText().split("=", 2)[1] : f.asText()));
        if (gen.has("literals")) {
          violations.add(overlay + ": secretGenerator " + gen.path("name").asText() + " has literals in git");
        }
      }
      assertThat(sources).as("secret sources of %s", overlay).isNotEmpty();
      for (String source : sources) {
        Path file = dir.resolve(source).normalize();
        String rel = Repo.root().relativize(file).toString();
        if (!file.getParent().getFileName().toString().equals("secrets")) {
          violations.add(rel + " is not in a secrets/ folder");
        }
        if (!gitIgnored(rel)) {
          violations.add(rel + " is not git-ignored: a real secret there could be committed");
        }
        if (source.endsWith(".env")) {
          Path example = file.resolveSibling(file.getFileName().toString().replace(".env", ".example.env"));
          if (!Files.isRegularFile(example)) {
            violations.add(rel + " has no example file documenting its keys");
          } else if (gitIgnored(Repo.root().relativize(example).toString())) {
            violations.add(Repo.root().relativize(example) + " is git-ignored: it is meant to be committed");
          }
        }
      }
    }
    assertNone(violations);
  }

  @Test
  void examplesHoldPlaceholdersNotSecrets() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Repo.k8s().resolve("overlays"))) {
      for (Path example : files.filter(f -> f.toString().endsWith(".example.env")).toList()) {
        keys(example).forEach((k, v) -> {
          String shown = v;
          try {
            shown = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException notBase64) {
            // a plain value
          }
          if (Checks.secretName(k, v) && !IDENTITIES.contains(k) && !v.contains("replace")
              && !shown.contains("replace")) {
            violations.add(Repo.root().relativize(example) + ": " + k + " holds a value that is not a placeholder");
          }
        });
      }
    }
    assertNone(violations);
  }

  @Test
  void noSecretObjectIsWrittenInTheManifests() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Repo.k8s())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.toString().contains("/target/")
          && !p.toString().contains("/src/")).toList()) {
        for (JsonNode doc : Yaml.documents(Repo.read(f))) {
          if ("Secret".equals(doc.path("kind").asText())) {
            violations.add(Repo.root().relativize(f) + " declares a Secret: secrets come from secretGenerator");
          }
        }
      }
    }
    assertNone(violations);
  }

  private static boolean gitIgnored(String relativePath) {
    try {
      Process p = new ProcessBuilder("git", "check-ignore", "--quiet", "--no-index", relativePath)
          .directory(Repo.root().toFile()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      int code = p.waitFor();
      if (code > 1) {
        throw new IllegalStateException("git check-ignore failed for " + relativePath);
      }
      return code == 0;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
