package com.mp3converter.notifier;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.secret.InsecureSecretsException;
import com.mp3converter.testing.TestSecrets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The notifier refuses to start with the example Resend key, or none, before it creates any bean. */
class NotifierStartupSecretsTest {

  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("MP3_INTERNAL_TOKEN", TestSecrets.token());
    settings.put("MP3_RESEND_API_KEY", "re_" + TestSecrets.hex(16));
    settings.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:1/none");
    settings.put("SPRING_RABBITMQ_PORT", "1");
    settings.put("server.port", "0");
    settings.put("management.server.port", "0");
    return settings;
  }

  private static void start(Map<String, String> settings) {
    NotifierApplication.application().run(TestSecrets.commandLine(settings)).close();
  }

  @Test
  void thePlaceholderResendKeyStopsTheNotifier() {
    Map<String, String> settings = settings();
    // What k8s/generate-secrets.sh writes when it is given no key.
    settings.put("MP3_RESEND_API_KEY", "re_replace_with_your_resend_api_key");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_RESEND_API_KEY (mp3.resend.api-key) is an example value")
        .hasMessageNotContaining("re_replace");
  }

  @Test
  void noResendKeyStopsTheNotifier() {
    Map<String, String> settings = settings();
    settings.remove("MP3_RESEND_API_KEY");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_RESEND_API_KEY (mp3.resend.api-key) is not set");
  }

  @Test
  void theExampleInternalTokenStopsTheNotifier() {
    Map<String, String> settings = settings();
    settings.put("MP3_INTERNAL_TOKEN", "replace-with-64-random-hex-characters");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_INTERNAL_TOKEN (mp3.internal-token) is an example value");
  }
}
