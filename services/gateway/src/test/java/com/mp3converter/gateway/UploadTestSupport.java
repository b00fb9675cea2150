package com.mp3converter.gateway;

import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestSecrets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the upload test classes share: their gateway's settings, audio to upload, requests and S3 listings. */
final class UploadTestSupport {
  private UploadTestSupport() {}

  static LocalS3 startS3() {
    try {
      return LocalS3.start().createBucket("mp3");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void properties(DynamicPropertyRegistry registry, String database, RabbitVirtualHost rabbit, AuthStandIn auth,
      LocalS3 s3) {
    registry.add("spring.datasource.url", () -> database);
    registry.add("spring.rabbitmq.virtual-host", rabbit::name);
    registry.add("MP3_AUTH_URL", auth::url);
    registry.add("MP3_INTERNAL_TOKEN", TestSecrets::token);
    registry.add("MP3_S3_ENDPOINT", s3::endpoint);
    registry.add("MP3_S3_ACCESS_KEY", s3::accessKey);
    registry.add("MP3_S3_SECRET_KEY", s3::secretKey);
    registry.add("MP3_S3_BUCKET", () -> "mp3");
    registry.add("MP3_DOWNLOAD_TOKEN_KEY", () -> Base64.getEncoder().encodeToString(new byte[32]));
  }

  /** A real WAV file of {@code seconds} (AudioFixtures), as bytes. */
  static byte[] sineWav(double seconds) throws IOException {
    Path file = Files.createTempFile("upload-test-", ".wav");
    try {
      return Files.readAllBytes(AudioFixtures.writeSineWav(file, seconds));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** {@code POST /conversions} with a body of the given content type, as {@code user}, with an optional key. */
  static HttpRequest post(int port, GatewayUser user, String contentType, byte[] body, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/conversions"))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (user != null) {
      request.header("Authorization", user.bearer());
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return request.build();
  }

  /** The keys of the user's stored uploads. */
  static List<String> uploadsOf(LocalS3 s3, GatewayUser user) {
    try (var client = s3.client()) {
      return client.listObjectsV2(b -> b.bucket("mp3").prefix("uploads/" + user.id + "/")).contents().stream()
          .map(S3Object::key).toList();
    }
  }
}
