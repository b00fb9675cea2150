package com.mp3converter.testing;

import com.mp3converter.local.S3Server;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The launcher's local S3 server ({@link S3Server}) for tests: over a throw-away folder unless given one, with an
 * SDK client for the test's own checks.
 */
public final class LocalS3 implements AutoCloseable {
  private static final String REGION = "us-east-1";

  private final S3Server server;
  private final Path folder;

  private LocalS3(S3Server server, Path folder) {
    this.server = server;
    this.folder = folder;
  }

  /** A fresh server over a new temporary folder, on a free port. */
  public static LocalS3 start() throws Exception {
    return start(Files.createTempDirectory("mp3-s3-"), 0, "test-access", TestSecrets.hex(24));
  }

  /** A server over {@code folder} (objects survive restarts) on {@code port} (0 for any). */
  public static LocalS3 start(Path folder, int port, String accessKey, String secretKey) throws Exception {
    return new LocalS3(S3Server.start(folder, port, accessKey, secretKey), folder);
  }

  public String endpoint() {
    return server.endpoint();
  }

  public int port() {
    return server.port();
  }

  public String accessKey() {
    return server.accessKey();
  }

  public String secretKey() {
    return server.secretKey();
  }

  public LocalS3 createBucket(String bucket) {
    server.createBucket(bucket);
    return this;
  }

  /** An SDK client for the test's own checks (the services use camel-aws2-s3). */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())))
        .build();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }

  /** Deletes the server's folder. */
  public void deleteFolder() throws IOException {
    if (Files.exists(folder)) {
      try (var paths = Files.walk(folder)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
