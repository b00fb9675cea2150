package com.mp3converter.k8s;

import static com.mp3converter.k8s.Checks.assertNone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mp3converter.shared.secret.ExampleSecrets;
import com.mp3converter.shared.secret.SecretKind;
import com.mp3converter.shared.secret.SecretSettings;
import com.mp3converter.shared.secret.SecretStrength;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example values the services refuse as secrets (src-shared/core's mp3-example-secrets.txt) are exactly the
 * ones committed in the repository: the placeholders of the example env files, of k8s/generate-secrets.sh and of
 * the docs, and every Ed25519 private key committed anywhere. Nobody keeps the list: when it and the repository
 * disagree this test fails with the lines to write. And every secret the services read is checked.
 */
class ExampleSecretsTest {
  private static final Path RESOURCE = Path.of("src-shared/core/src/main/resources").resolve(ExampleSecrets.RESOURCE);
  /** Names of the S3 users, not secrets (see SecretsTest). */
  private static final Set<String> IDENTITIES =
      Set.of("GATEWAY_S3_ACCESS_KEY", "WORKER_S3_ACCESS_KEY", "MP3_S3_ACCESS_KEY");
  /** {@code ${NAME:-fallback}} in a shell script, {@code ${NAME:default}} in a service's configuration. */
  private static final Pattern SHELL_FALLBACK = Pattern.compile("\\$\\{([A-Z0-9_]+):-([^}]*)}");
  private static final Pattern SPRING_DEFAULT = Pattern.compile("\\$\\{([A-Z0-9_]+):([^}]*)}");
  /**
   * {@code NAME=value} in the docs; a value with $, < or ... stands for one and is not one, and {@code ^NAME=} is
   * a pattern (sed) that reads the value, not one.
   */
  private static final Pattern DOC_ASSIGNMENT = Pattern.compile("(?<!\\^)\\b([A-Z][A-Z0-9_]*)=([^\\s`'\"|)]+)");
  private static final Pattern PRIVATE_KEY_BLOCK = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\s]+-----END PRIVATE KEY-----");
  /**
   * Local defaults of server passwords that are the servers' own: RabbitMQ accepts guest only over loopback. They
   * are not examples for a deployment; every other secret's default must be blank.
   */
  private static final Map<String, String> SERVER_LOCAL_DEFAULTS = Map.of("SPRING_RABBITMQ_PASSWORD", "guest");

  /** Example value to where it was found. */
  static Map<String, String> committedExamples() throws IOException {
    Map<String, String> examples = new TreeMap<>();
    try (Stream<Path> files = Files.walk(Repo.k8s().resolve("overlays"))) {
      for (Path example : files.filter(f -> f.toString().endsWith(".example.env")).sorted().toList()) {
        SecretsTest.keys(example).forEach((k, v) -> {
          if (Checks.secretName(k, v) && !IDENTITIES.contains(k)) {
            examples.putIfAbsent(v, Repo.root().relativize(example) + " " + k);
          }
        });
      }
    }
    Matcher fallback = SHELL_FALLBACK.matcher(Repo.read(Repo.k8s().resolve("generate-secrets.sh")));
    while (fallback.find()) {
      if (Checks.secretName(fallback.group(1), fallback.group(2)) && !fallback.group(2).isBlank()) {
        examples.putIfAbsent(fallback.group(2), "k8s/generate-secrets.sh " + fallback.group(1));
      }
    }
    for (Path doc : docs()) {
      Matcher m = DOC_ASSIGNMENT.matcher(Repo.read(doc));
      while (m.find()) {
        String value = m.group(2);
        if (Checks.secretName(m.group(1), value) && !IDENTITIES.contains(m.group(1)) && !value.contains("$")
            && !value.contains("<") && !value.contains("...")) {
          examples.putIfAbsent(value, Repo.root().relativize(doc) + " " + m.group(1));
        }
      }
    }
    for (String file : gitFiles()) {
      Path path = Repo.root().resolve(file);
      if (!Files.isRegularFile(path) || Files.size(path) > 1_000_000) {
        continue;
      }
      String text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
      Matcher key = PRIVATE_KEY_BLOCK.matcher(text);
      while (key.find()) {
        SecretStrength.signingKeyIdentity(key.group())
            .ifPresent(identity -> examples.putIfAbsent(identity, file + " (an Ed25519 private key)"));
      }
    }
    return examples;
  }

  private static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(Repo.root().resolve("README.md")));
    try (Stream<Path> files = Files.list(Repo.root().resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    try (Stream<Path> files = Files.walk(Repo.k8s().resolve("overlays"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  private static List<String> gitFiles() throws IOException {
    Process git = new ProcessBuilder("git", "ls-files", "-z").directory(Repo.root().toFile()).start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(git.waitFor()).as("git ls-files").isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return List.of(out.split("\0")).stream().filter(f -> !f.isEmpty()).toList();
  }

  @Test
  void theServicesKnowExactlyTheCommittedExamples() throws IOException {
    assumeTrue(Files.exists(Repo.root().resolve(".git")), "not a git work tree: cannot list the committed files");
    Map<String, String> committed = committedExamples();
    Set<String> known = ExampleSecrets.committed();

    List<String> missing = committed.keySet().stream().filter(v -> !known.contains(v)).toList();
    List<String> stale = new TreeSet<>(known).stream().filter(v -> !committed.containsKey(v)).toList();
    assertThat(missing)
        .as("example values committed in the repository that %s does not list; add these lines:%n%s", RESOURCE,
            String.join("\n", missing))
        .isEmpty();
    assertThat(stale)
        .as("values %s lists that nothing in the repository holds any more; remove these lines:%n%s", RESOURCE,
            String.join("\n", stale))
        .isEmpty();
    assertThat(committed).as("examples found at all").isNotEmpty();
  }

  @Test
  void everyCommittedExampleIsRefusedAsEveryKindOfSecret() throws IOException {
    assumeTrue(Files.exists(Repo.root().resolve(".git")), "not a git work tree: cannot list the committed files");
    SecretStrength strength = SecretStrength.withCommittedExamples();
    List<String> violations = new ArrayList<>();
    committedExamples().forEach((value, where) -> {
      for (SecretKind kind : SecretKind.values()) {
        if (kind != SecretKind.SIGNING_KEY_FILE && strength.judge(kind, value).accepted()) {
          violations.add(where + " is accepted as a " + kind);
        }
      }
    });
    assertNone(violations);
  }

  @Test
  void everySecretOfTheContractIsChecked() {
    Set<String> checked = new TreeSet<>();
    SecretSettings.ALL.forEach(s -> checked.add(s.environmentName()));
    List<String> violations = new ArrayList<>();
    ConsistencyTest.CONTRACT.forEach((service, names) -> names.stream()
        .filter(name -> (Checks.secretName(name, "") || name.endsWith("_KEY_FILE")) && !IDENTITIES.contains(name)
            && !checked.contains(name))
        .forEach(name -> violations.add(service + " reads " + name + ", which StartupSecrets does not check")));
    assertNone(violations);
  }

  @Test
  void noServiceHasAnExampleOrWeakSecretAsItsDefault() throws IOException {
    List<Path> files = new ArrayList<>();
    Repo.SERVICES.forEach(s -> files.add(Repo.serviceConfig(s)));
    files.add(Repo.sharedAmqpConfig());
    List<String> violations = new ArrayList<>();
    for (Path file : files) {
      Matcher m = SPRING_DEFAULT.matcher(Repo.read(file));
      while (m.find()) {
        String name = m.group(1);
        String fallback = m.group(2).strip();
        boolean secret = SecretSettings.ALL.stream().anyMatch(s -> s.environmentName().equals(name));
        if (secret && !fallback.isEmpty() && !fallback.equals(SERVER_LOCAL_DEFAULTS.get(name))) {
          violations.add(Repo.root().relativize(file) + ": " + name + " has a default; a secret has none");
        }
      }
    }
    assertNone(violations);
  }
}
