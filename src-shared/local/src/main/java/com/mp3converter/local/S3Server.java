package com.mp3converter.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 API server in this JVM (S3Proxy) over a folder on disk, listening on loopback with real AWS v4
 * signature checks: what MinIO is in production. The launcher's S3 when none is configured; objects and
 * buckets survive a restart over the same folder.
 */
public final class S3Server implements AutoCloseable {
  private final S3Proxy proxy;
  private final BlobStore blobs;
  private final String accessKey;
  private final String secretKey;

  private S3Server(Path folder, int port, String accessKey, String secretKey) throws Exception {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    Files.createDirectories(folder);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", folder.toAbsolutePath().toString());
    this.blobs = BlobStores.create("filesystem", properties);
    this.proxy = S3Proxy.builder()
        .blobStore(blobs)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .ignoreUnknownHeaders(true)
        .build();
    // Jetty's start returns once the server listens, or throws (a port in use, for instance).
    proxy.start();
  }

  /** A server over {@code folder} on {@code port} (0 for any free one) that accepts only these credentials. */
  public static S3Server start(Path folder, int port, String accessKey, String secretKey) throws Exception {
    return new S3Server(folder, port, accessKey, secretKey);
  }

  /** Creates the bucket unless it exists (a restarted local run finds its bucket). */
  public S3Server createBucket(String bucket) {
    if (!blobs.containerExists(bucket)) {
      blobs.createContainer(bucket);
    }
    return this;
  }

  /**
   * Asks the server, through its own S3 API, for a lifecycle rule that expires the bucket's objects under
   * {@code prefix} {@code days} days after their upload; answers whether it took the rule. S3Proxy (4.1) does not
   * implement lifecycle configuration and refuses it (501 NotImplemented): over this server, whatever deletes
   * expired objects must do it itself.
   */
  public boolean expireObjects(String bucket, String prefix, int days) {
    try (S3Client client = S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build()) {
      client.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(
          LifecycleRule.builder().id("mp3-retention").status(ExpirationStatus.ENABLED)
              .filter(f -> f.prefix(prefix)).expiration(e -> e.days(days)).build())));
      return true;
    } catch (S3Exception refused) {
      if (refused.statusCode() == 501) {
        return false;
      }
      throw refused;
    }
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

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
