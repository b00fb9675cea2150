package com.mp3converter.shared.messages;

import java.util.Arrays;

/** Why a job failed: a stable code for machines and a sentence for the user's email. */
public enum FailureReason {
  SOURCE_UNREACHABLE("source_unreachable", "We could not download the file from the address you gave.", true),
  SOURCE_NOT_FOUND("source_not_found", "The address you gave does not point to a file (the server answered 'not found').", false),
  SOURCE_TOO_LARGE("source_too_large", "The file is larger than we accept.", false),
  NOT_AUDIO("not_audio", "The file is not an audio file we can read.", false),
  TOO_LONG("too_long", "The recording is longer than we accept.", false),
  CONVERSION_FAILED("conversion_failed", "The audio could not be converted to MP3.", false),
  TIMEOUT("timeout", "The conversion took too long and was stopped.", true),
  BLOCKED_URL("blocked_url", "The address you gave is not allowed (only public http and https addresses are).", false),
  STORAGE_UNAVAILABLE("storage_unavailable", "We could not store the MP3.", true),
  INTERNAL("internal_error", "Something went wrong on our side.", true);

  private final String code;
  private final String userMessage;
  private final boolean transientFailure;

  FailureReason(String code, String userMessage, boolean transientFailure) {
    this.code = code;
    this.userMessage = userMessage;
    this.transientFailure = transientFailure;
  }

  public String code() {
    return code;
  }

  public String userMessage() {
    return userMessage;
  }

  /** Whether trying again later could succeed (retried with backoff before the job is failed). */
  public boolean isTransient() {
    return transientFailure;
  }

  public static FailureReason fromCode(String code) {
    return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst().orElse(INTERNAL);
  }
}
