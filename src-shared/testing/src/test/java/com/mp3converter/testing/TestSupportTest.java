package com.mp3converter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** The test infrastructure must itself behave like the real thing, or the tests built on it prove nothing. */
class TestSupportTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void localS3StoresAndServesObjectsWithSignedRequests() throws Exception {
    try (LocalS3 s3 = LocalS3.start()) {
      s3.createBucket("mp3").createBucket("mp3");
      try (var client = s3.client()) {
        client.putObject(b -> b.bucket("mp3").key("users/a/b.mp3"), RequestBody.fromString("ID3 bytes"));
        assertThat(client.getObjectAsBytes(b -> b.bucket("mp3").key("users/a/b.mp3")).asUtf8String())
            .isEqualTo("ID3 bytes");
      }
      var anonymous = http.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/mp3/users/a/b.mp3")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(403);
    }
  }

  @Test
  void resendStubValidatesAuthenticatesAndReplaysIdempotentRequests() throws Exception {
    try (ResendStub resend = ResendStub.start()) {
      String email = "{\"from\":\"a@example.com\",\"to\":[\"b@example.com\"],\"subject\":\"s\",\"text\":\"t\"}";
      assertThat(post(resend, email, "Bearer wrong", "k1").statusCode()).isEqualTo(403);
      assertThat(post(resend, "{\"from\":\"a@example.com\"}", "Bearer " + resend.apiKey(), "k0").statusCode())
          .isEqualTo(422);
      var first = post(resend, email, "Bearer " + resend.apiKey(), "k1");
      var replay = post(resend, email, "Bearer " + resend.apiKey(), "k1");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(replay.body()).isEqualTo(first.body());
      resend.thenAnswer(429, Map.of("retry-after", "1"), "{}");
      assertThat(post(resend, email, "Bearer " + resend.apiKey(), "k2").statusCode()).isEqualTo(429);
      assertThat(resend.emails()).hasSize(1);
      assertThat(resend.attempts()).hasSize(5);
    }
  }

  @Test
  void staticFileServerServesFilesRedirectsAnd404s(@TempDir Path dir) throws Exception {
    AudioFixtures.writeSineWav(dir.resolve("tone.wav"), 1.5);
    try (StaticFileServer server = StaticFileServer.serve(dir)) {
      server.redirect("/moved", server.url("tone.wav"));
      var ok = http.send(HttpRequest.newBuilder(URI.create(server.url("tone.wav"))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(ok.body()).hasSize((int) Files.size(dir.resolve("tone.wav")));
      var moved = http.send(HttpRequest.newBuilder(URI.create(server.url("moved"))).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(moved.statusCode()).isEqualTo(302);
      var missing = http.send(HttpRequest.newBuilder(URI.create(server.url("../etc/passwd"))).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(server.hits()).isEqualTo(3);
    }
    assertThat(Ffprobe.durationSeconds(dir.resolve("tone.wav"))).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.001));
  }

  private HttpResponse<String> post(ResendStub resend, String body, String auth, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(resend.baseUrl() + "/emails"))
        .header("Authorization", auth).header("User-Agent", "test").header("Idempotency-Key", key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
