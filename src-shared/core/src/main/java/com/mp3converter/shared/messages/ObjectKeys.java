package com.mp3converter.shared.messages;

import java.util.UUID;

/** Object keys are built only here, only from ids we issued, so no user string ever becomes a path. */
public final class ObjectKeys {
  private ObjectKeys() {}

  public static String mp3(String userId, String jobId) {
    return "users/" + UUID.fromString(userId) + "/" + UUID.fromString(jobId) + ".mp3";
  }
}
