package com.mp3converter.shared.messages;

import java.util.UUID;

/** Object keys are built only here, only from ids we issued, so no user string ever becomes a path. */
public final class ObjectKeys {
  private ObjectKeys() {}

  /** Where a job's converted file is stored: {@code users/{userId}/{jobId}.{extension}}. */
  public static String output(String userId, String jobId, OutputFormat format) {
    return "users/" + UUID.fromString(userId) + "/" + format.fileName(UUID.fromString(jobId).toString());
  }

  /**
   * Where a file a user uploaded for a job waits for the worker: {@code uploads/{userId}/{jobId}}. The user's own
   * file name is never part of the key (it travels in the job message as text only).
   */
  public static String upload(String userId, String jobId) {
    return UPLOADS_PREFIX + UUID.fromString(userId) + "/" + UUID.fromString(jobId);
  }

  /** The prefix of every upload key ({@link #upload}): what the gateway may write and the worker read and delete. */
  public static final String UPLOADS_PREFIX = "uploads/";
}
