package com.mp3converter.gateway;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The gateway's {@code mp3.*} settings; gateway.yaml binds each environment name of the design to one of them. */
@ConfigurationProperties("mp3")
public record GatewayProperties(
    Auth auth,
    Jwt jwt,
    String publicUrl,
    String internalToken,
    Download download,
    S3 s3,
    Sources sources,
    Requests requests,
    Limits limits,
    Intake intake,
    Accounts accounts) {

  /** Where auth listens and how long its public keys are trusted before they are fetched again. */
  public record Auth(String url, Duration jwksMaxAge, Duration jwksMinRefreshInterval) {}

  public record Jwt(String issuer, String audience, Duration clockSkew) {}

  /**
   * {@code tokenKey}: base64, at least 32 bytes; blank means an ephemeral key (local runs only). Links expire with
   * their files ({@link RetentionProperties#period}).
   */
  public record Download(String tokenKey, String issuer, String audience) {}

  /** {@code maxConnections}: the S3 client's pool; each download in progress holds one connection. */
  public record S3(
      String endpoint, String region, String bucket, String accessKey, String secretKey, int maxConnections) {}

  public record Sources(boolean allowPrivate, Set<Integer> allowedPorts) {}

  public record Requests(int maxBodyBytes) {}

  /**
   * Per user: {@code submissionsPerMinute} jobs accepted within any minute (MP3_RATE_LIMIT_PER_MINUTE) and
   * {@code maxActiveJobs} queued or processing at once (MP3_MAX_ACTIVE_JOBS); past either, 429 with Retry-After.
   */
  public record Limits(int submissionsPerMinute, int maxActiveJobs) {}

  /**
   * The gateway's own limit on job intake, across all users: at most {@code maxConcurrent} jobs taken in at once
   * (MP3_INTAKE_MAX_CONCURRENT), one more waiting at most {@code maxWaitMs} (MP3_INTAKE_MAX_WAIT_MS) before a 503.
   * Confirmed jobs are recorded as published in batches: every {@code publishedMarkMs}, or once
   * {@code publishedMarkBatch} are waiting.
   */
  public record Intake(int maxConcurrent, int maxWaitMs, long publishedMarkMs, int publishedMarkBatch) {
    public Intake {
      if (publishedMarkMs <= 0 || publishedMarkBatch <= 0) {
        throw new IllegalArgumentException("mp3.intake.published-mark-ms and -batch must be positive");
      }
    }
  }

  /**
   * {@code deletedRefreshMs}: how often the copy of deleted_accounts that access tokens are checked against is
   * reloaded; another replica's deletion is refused here at most this much later ({@code DeletedAccounts}).
   */
  public record Accounts(long deletedRefreshMs) {}
}
