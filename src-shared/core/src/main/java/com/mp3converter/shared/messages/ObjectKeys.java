package com.mp3converter.shared.messages;

import java.util.UUID;

/** Object keys are built only here, only from ids we issued, so no user string ever becomes a path. */
public final class ObjectKeys {
  private ObjectKeys() {}

  /** Where a job's converted file is stored: {@code users/{userId}/{jobId}.{extension}}. */
  public static String output(String userId, String jobId, OutputFormat format) {
    return "users/" + UUID.fromString(userId) + "/" + format.fileName(UUID.fromString(jobId).toString());
  }
}
