package com.mp3converter.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * An S3 API server in this JVM (S3Proxy) over a folder on disk, listening on loopback with real AWS v4
 * signature checks: what MinIO is in production. Used by tests, and by the launcher for local runs.
 */
public final class LocalS3 implements AutoCloseable {
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final String accessKey;
  private final String secretKey;
  private final Path folder;

  private LocalS3(Path folder, int port, String accessKey, String secretKey) throws Exception {
    this.folder = folder;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    Files.createDirectories(folder);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", folder.toAbsolutePath().toString());
    this.proxy = S3Proxy.builder()
        .blobStore(BlobStores.create("filesystem", properties))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  /** A fresh server over a new temporary folder, on a free port. */
  public static LocalS3 start() throws Exception {
    return new LocalS3(Files.createTempDirectory("mp3-s3-"), 0, "test-access", "test-secret-key");
  }

  /** A server over {@code folder} (objects survive restarts) on {@code port} (0 for any). */
  public static LocalS3 start(Path folder, int port, String accessKey, String secretKey) throws Exception {
    return new LocalS3(folder, port, accessKey, secretKey);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  public int port() {
    return proxy.getPort();
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public Path folder() {
    return folder;
  }

  public LocalS3 createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException alreadyThere) {
      // Idempotent: a restarted local run finds its bucket.
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() != 409) {
        throw e;
      }
    }
    return this;
  }

  /** An SDK client for the test's own checks (the services use camel-aws2-s3). */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }

  /** Deletes the temporary folder of a server made by {@link #start()}. */
  public void deleteFolder() throws IOException {
    if (Files.exists(folder)) {
      try (var paths = Files.walk(folder)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
