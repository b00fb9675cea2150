package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.secret.InsecureSecretsException;
import com.mp3converter.testing.TestSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** auth refuses to start with a committed example as its signing key or database password, before any bean. */
class AuthStartupSecretsTest {
  /** RFC 8410's example Ed25519 key, committed in SigningKeysTest: public, so never a signing key. */
  private static final String RFC_8410_KEY = """
      -----BEGIN PRIVATE KEY-----
      MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
      -----END PRIVATE KEY-----
      """;

  @TempDir
  Path tmp;

  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:1/none");
    settings.put("server.port", "0");
    settings.put("management.server.port", "0");
    return settings;
  }

  private static void start(Map<String, String> settings) {
    AuthApplication.application().run(TestSecrets.commandLine(settings)).close();
  }

  @Test
  void theRfc8410ExampleKeyStopsAuth() throws Exception {
    Map<String, String> settings = settings();
    Path key = Files.writeString(tmp.resolve("signing-key.pem"), RFC_8410_KEY);
    settings.put("MP3_AUTH_SIGNING_KEY_FILE", key.toString());

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_AUTH_SIGNING_KEY_FILE (mp3.auth.signing-key-file) is an example value")
        .hasMessageNotContaining("MC4CAQAwBQYDK2VwBCIEINTuctv5");
  }

  @Test
  void aFileWithoutAnEd25519KeyStopsAuth() throws Exception {
    Map<String, String> settings = settings();
    settings.put("MP3_AUTH_SIGNING_KEY_FILE", Files.writeString(tmp.resolve("signing-key.pem"), "key").toString());

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_AUTH_SIGNING_KEY_FILE (mp3.auth.signing-key-file) names a file that does not "
            + "hold exactly one unencrypted PKCS#8 Ed25519 private key");
  }

  @Test
  void theExampleDatabasePasswordStopsAuth() {
    Map<String, String> settings = settings();
    settings.put("SPRING_DATASOURCE_PASSWORD", "replace-with-48-random-hex-characters");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("SPRING_DATASOURCE_PASSWORD (spring.datasource.password) is an example value")
        .hasMessageNotContaining("replace-with");
  }
}
