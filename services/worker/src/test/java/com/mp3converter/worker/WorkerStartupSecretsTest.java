package com.mp3converter.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.secret.InsecureSecretsException;
import com.mp3converter.testing.TestSecrets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker refuses to start with an example or short S3 secret, or the example broker password. */
class WorkerStartupSecretsTest {

  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("MP3_S3_ACCESS_KEY", "worker");
    settings.put("MP3_S3_SECRET_KEY", TestSecrets.hex(24));
    settings.put("SPRING_RABBITMQ_PORT", "1");
    settings.put("MP3_S3_ENDPOINT", "http://127.0.0.1:1");
    settings.put("server.port", "0");
    settings.put("management.server.port", "0");
    return settings;
  }

  private static void start(Map<String, String> settings) {
    WorkerApplication.application().run(TestSecrets.commandLine(settings)).close();
  }

  @Test
  void theExampleS3SecretKeyStopsTheWorker() {
    Map<String, String> settings = settings();
    settings.put("MP3_S3_SECRET_KEY", "replace-with-48-random-hex-characters");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_S3_SECRET_KEY (mp3.s3.secret-key) is an example value")
        .hasMessageNotContaining("replace-with");
  }

  @Test
  void theFormerLocalDefaultS3SecretIsTooShort() {
    Map<String, String> settings = settings();
    settings.put("MP3_S3_SECRET_KEY", "mp3local-secret");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("MP3_S3_SECRET_KEY (mp3.s3.secret-key) is shorter than the 32 characters it needs");
  }

  @Test
  void theExampleBrokerPasswordStopsTheWorker() {
    Map<String, String> settings = settings();
    settings.put("SPRING_RABBITMQ_PASSWORD", "replacewith48randomhexcharacters");

    assertThatThrownBy(() -> start(settings))
        .isInstanceOf(InsecureSecretsException.class)
        .hasMessageContaining("SPRING_RABBITMQ_PASSWORD (spring.rabbitmq.password) is an example value")
        .hasMessageNotContaining("replacewith");
  }
}
