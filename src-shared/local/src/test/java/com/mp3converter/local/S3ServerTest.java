package com.mp3converter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The launcher's S3: signed requests only, and what it stores is still there after a restart. */
class S3ServerTest {
  @TempDir Path folder;

  @Test
  void storesAndServesObjectsForSignedRequestsOnly() throws Exception {
    try (S3Server s3 = S3Server.start(folder, 0, "local-access", "local-secret").createBucket("mp3")) {
      try (S3Client client = client(s3, s3.secretKey())) {
        client.putObject(b -> b.bucket("mp3").key("users/a/b.mp3"), RequestBody.fromString("ID3 bytes"));
        assertThat(client.getObjectAsBytes(b -> b.bucket("mp3").key("users/a/b.mp3")).asUtf8String())
            .isEqualTo("ID3 bytes");
      }
      try (S3Client forger = client(s3, "not-the-secret")) {
        assertThatThrownBy(() -> forger.getObjectAsBytes(b -> b.bucket("mp3").key("users/a/b.mp3")))
            .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      }
      HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(s3.endpoint() + "/mp3/users/a/b.mp3")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(403);
    }
  }

  @Test
  void keepsBucketsAndObjectsAcrossARestartOverTheSameFolder() throws Exception {
    int port;
    try (S3Server first = S3Server.start(folder, 0, "local-access", "local-secret").createBucket("mp3");
        S3Client client = client(first, first.secretKey())) {
      port = first.port();
      client.putObject(b -> b.bucket("mp3").key("kept.mp3"), RequestBody.fromString("kept"));
    }
    try (S3Server again = S3Server.start(folder, port, "local-access", "local-secret").createBucket("mp3");
        S3Client client = client(again, again.secretKey())) {
      assertThat(again.endpoint()).isEqualTo("http://127.0.0.1:" + port);
      assertThat(client.getObjectAsBytes(b -> b.bucket("mp3").key("kept.mp3")).asUtf8String()).isEqualTo("kept");
    }
  }

  @Test
  void refusesLifecycleRulesSoExpiredObjectsAreForTheirOwnerToDelete() throws Exception {
    try (S3Server s3 = S3Server.start(folder, 0, "local-access", "local-secret").createBucket("mp3")) {
      // S3Proxy answers 501: the gateway's retention route is what deletes expired MP3s in a local run. Should a
      // later S3Proxy take the rule, this fails, and the launcher's message (Launcher.startS3) must change.
      assertThat(s3.expireObjects("mp3", "users/", 8)).isFalse();
      try (S3Client client = client(s3, s3.secretKey())) {
        client.putObject(b -> b.bucket("mp3").key("users/a/b.mp3"), RequestBody.fromString("still here"));
        assertThat(client.getObjectAsBytes(b -> b.bucket("mp3").key("users/a/b.mp3")).asUtf8String())
            .isEqualTo("still here");
      }
    }
  }

  private static S3Client client(S3Server s3, String secret) {
    return S3Client.builder()
        .endpointOverride(URI.create(s3.endpoint()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), secret)))
        .build();
  }
}
