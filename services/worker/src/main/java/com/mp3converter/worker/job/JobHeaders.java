package com.mp3converter.worker.job;

import org.apache.camel.Message;

/**
 * Steps start from a clean message so nothing from the job message, a download or a tool run travels on as a
 * header. Camel's own redelivery bookkeeping (CamelRedelivered, CamelRedeliveryCounter, ...) is kept, so its
 * logs stay true where the message survives; the retries do not depend on it (a step that replaces the message
 * loses it): errors.camel.yaml counts them in {@link JobKeys#FAILED_ATTEMPTS}. The routes do the same with
 * {@code removeHeaders} and {@link #KEPT}.
 */
public final class JobHeaders {
  /** Prefix of the headers that survive, as a removeHeaders exclude pattern: {@code CamelRedeliver*}. */
  public static final String KEPT = "CamelRedeliver";

  private JobHeaders() {}

  public static void clear(Message message) {
    message.getHeaders().keySet().removeIf(name -> !name.startsWith(KEPT));
  }
}
