package com.mp3converter.shared.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Which settings of an environment are judged, and how a refusal reads. */
class StartupSecretsTest {
  private static final String EXAMPLE = "replace-with-48-random-hex-characters";
  private final SecretStrength strength = new SecretStrength(Set.of(EXAMPLE));

  @TempDir
  Path tmp;

  private static StandardEnvironment environment(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    return environment;
  }

  @Test
  void onlyTheSettingsAServiceDefinesAreJudged() {
    assertThat(StartupSecrets.refusals(environment(Map.of()), strength)).isEmpty();
    assertThat(StartupSecrets.refusals(environment(Map.of("mp3.internal-token", "")), strength))
        .containsExactly("MP3_INTERNAL_TOKEN (mp3.internal-token) is not set; make one with: openssl rand -hex 32");
  }

  @Test
  void everyRefusedSettingGetsOneLineThatNamesItButNotItsValue() {
    var environment = environment(Map.of(
        "mp3.s3.secret-key", EXAMPLE,
        "spring.rabbitmq.password", EXAMPLE,
        "spring.datasource.password", "",
        "mp3.download.token-key", ""));

    var refusals = StartupSecrets.refusals(environment, strength);

    assertThat(refusals).hasSize(2).noneMatch(line -> line.contains(EXAMPLE) || line.contains("\n"));
    assertThat(refusals.get(0)).startsWith("MP3_S3_SECRET_KEY (mp3.s3.secret-key) is an example value");
    assertThat(refusals.get(1)).startsWith("SPRING_RABBITMQ_PASSWORD (spring.rabbitmq.password) is an example value");
  }

  @Test
  void theSigningKeyFileIsReadAndJudged() throws Exception {
    Path notAKey = Files.writeString(tmp.resolve("key.pem"), "not a key");

    assertThat(StartupSecrets.refusals(environment(Map.of("mp3.auth.signing-key-file", notAKey.toString())), strength))
        .singleElement().asString().startsWith("MP3_AUTH_SIGNING_KEY_FILE (mp3.auth.signing-key-file) names a file "
            + "that does not hold exactly one unencrypted PKCS#8 Ed25519 private key");
    assertThat(StartupSecrets.refusals(
            environment(Map.of("mp3.auth.signing-key-file", tmp.resolve("missing.pem").toString())), strength))
        .singleElement().asString().contains("names a file that cannot be read");
    assertThat(StartupSecrets.refusals(environment(Map.of("mp3.auth.signing-key-file", "")), strength)).isEmpty();
  }

  @Test
  void aRefusalStopsTheStartWithAShortReport() {
    var secrets = new StartupSecrets(strength);
    secrets.setEnvironment(environment(Map.of("mp3.resend.api-key", EXAMPLE)));

    assertThatThrownBy(() -> secrets.postProcessBeanFactory(null))
        .isInstanceOfSatisfying(InsecureSecretsException.class, e -> {
          FailureAnalysis analysis = new InsecureSecretsFailureAnalyzer().analyze(e);
          assertThat(analysis.getDescription()).contains("MP3_RESEND_API_KEY (mp3.resend.api-key) is an example value")
              .doesNotContain(EXAMPLE);
        });
  }
}
