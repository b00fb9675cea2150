package com.mp3converter.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.secret.InsecureSecretsException;
import com.mp3converter.testing.TestSecrets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway refuses to start with a secret that is a committed example or too weak, before it creates any bean
 * (no database, broker or port is touched), naming the setting and never the value.
 */
class GatewayStartupSecretsTest {
  /** MP3_DOWNLOAD_TOKEN_KEY in k8s/overlays/prod/secrets/app.example.env. */
  private static final String EXAMPLE_DOWNLOAD_KEY = "cmVwbGFjZS13aXRoLTMyLXJhbmRvbS1ieXRlcy0tLS0=";
  /** MP3_INTERNAL_TOKEN in k8s/overlays/prod/secrets/app.example.env. */
  private static final String EXAMPLE_INTERNAL_TOKEN = "replace-with-64-random-hex-characters";

  private static Map<String, String> strongSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("MP3_INTERNAL_TOKEN", TestSecrets.token());
    settings.put("MP3_DOWNLOAD_TOKEN_KEY", base64Key(32));
    settings.put("MP3_S3_ACCESS_KEY", "gateway");
    settings.put("MP3_S3_SECRET_KEY", TestSecrets.hex(24));
    // Nothing may be reached: a context that got past the check would fail differently (or listen on port 0).
    settings.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:1/none");
    settings.put("server.port", "0");
    settings.put("management.server.port", "0");
    return settings;
  }

  private static String base64Key(int bytes) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(TestSecrets.hex(bytes)));
  }

  private static void start(Map<String, String> settings) {
    GatewayApplication.application().run(TestSecrets.commandLine(settings)).close();
  }

  @Test
  void theExampleDownloadTokenKeyStopsTheGateway() {
    Map<String, String> settings = strongSettings();
    settings.put("MP3_DOWNLOAD_TOKEN_KEY", EXAMPLE_DOWNLOAD_KEY);

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_DOWNLOAD_TOKEN_KEY (mp3.download.token-key) is an example value")
        .hasMessageNotContaining(EXAMPLE_DOWNLOAD_KEY);
  }

  @Test
  void aDownloadTokenKeyOfFewerThan32BytesStopsTheGateway() {
    Map<String, String> settings = strongSettings();
    String short31 = base64Key(31);
    settings.put("MP3_DOWNLOAD_TOKEN_KEY", short31);

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_DOWNLOAD_TOKEN_KEY")
        .hasMessageContaining("32 bytes")
        .hasMessageNotContaining(short31);
  }

  @Test
  void theExampleInternalTokenStopsTheGateway() {
    Map<String, String> settings = strongSettings();
    settings.put("MP3_INTERNAL_TOKEN", EXAMPLE_INTERNAL_TOKEN);

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_INTERNAL_TOKEN (mp3.internal-token) is an example value")
        .hasMessageNotContaining(EXAMPLE_INTERNAL_TOKEN);
  }

  @Test
  void aShortInternalTokenStopsTheGateway() {
    Map<String, String> settings = strongSettings();
    settings.put("MP3_INTERNAL_TOKEN", "test-internal-token");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_INTERNAL_TOKEN (mp3.internal-token) is shorter than the 32 characters it needs")
        .hasMessageNotContaining("test-internal-token");
  }

  @Test
  void anUnsetInternalTokenStopsTheGateway() {
    Map<String, String> settings = strongSettings();
    settings.remove("MP3_INTERNAL_TOKEN");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_INTERNAL_TOKEN (mp3.internal-token) is not set");
  }

  @Test
  void theExampleS3SecretKeyStopsTheGateway() {
    Map<String, String> settings = strongSettings();
    settings.put("MP3_S3_SECRET_KEY", "replace-with-48-random-hex-characters");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_S3_SECRET_KEY (mp3.s3.secret-key) is an example value");
  }
}
