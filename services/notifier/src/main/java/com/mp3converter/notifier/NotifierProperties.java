package com.mp3converter.notifier;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the notifier's beans read from notifier.yaml (the routes read their endpoint settings as placeholders).
 *
 * @param mailFrom the sender of every email, e.g. {@code mp3-converter <noreply@example.com>}
 * @param maxRetryAfter the longest wait a {@code 429 retry-after} may impose before the next attempt, so a
 *     misbehaving server cannot park the consumer for hours
 */
@ConfigurationProperties("mp3.notifier")
public record NotifierProperties(
    String mailFrom,
    @DefaultValue("60s") Duration maxRetryAfter) {

  public NotifierProperties {
    if (mailFrom == null || mailFrom.isBlank()) {
      throw new IllegalArgumentException("mp3.notifier.mail-from (MP3_MAIL_FROM) must be set");
    }
  }
}
