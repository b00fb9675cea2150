package com.mp3converter.shared.secret;

import java.util.List;

/**
 * Every setting that holds a secret in any service, with the property it is bound to and what it holds. A
 * service is checked on the ones its environment defines (its own configuration file binds them), so the worker
 * is not asked for the gateway's token. The k8s module's ExampleSecretsTest keeps this list and design.md's
 * contract in step.
 */
public final class SecretSettings {

  /** A secret setting: its environment name (design.md), the property it is bound to and what it holds. */
  public record Setting(String environmentName, String property, SecretKind kind) {}

  public static final List<Setting> ALL = List.of(
      new Setting("MP3_INTERNAL_TOKEN", "mp3.internal-token", SecretKind.BEARER_TOKEN),
      new Setting("MP3_DOWNLOAD_TOKEN_KEY", "mp3.download.token-key", SecretKind.HMAC_KEY),
      new Setting("MP3_AUTH_SIGNING_KEY_FILE", "mp3.auth.signing-key-file", SecretKind.SIGNING_KEY_FILE),
      new Setting("MP3_RESEND_API_KEY", "mp3.resend.api-key", SecretKind.API_KEY),
      new Setting("MP3_S3_SECRET_KEY", "mp3.s3.secret-key", SecretKind.ACCESS_SECRET),
      new Setting("SPRING_DATASOURCE_PASSWORD", "spring.datasource.password", SecretKind.SERVER_PASSWORD),
      new Setting("SPRING_RABBITMQ_PASSWORD", "spring.rabbitmq.password", SecretKind.SERVER_PASSWORD),
      // The management console's users (src-shared/management): blank means no such user, an example is refused.
      new Setting("MP3_HAWTIO_VIEWER_PASSWORD", "mp3.console.viewer.password", SecretKind.SERVER_PASSWORD),
      new Setting("MP3_HAWTIO_ADMIN_PASSWORD", "mp3.console.admin.password", SecretKind.SERVER_PASSWORD));

  private SecretSettings() {}
}
