package com.mp3converter.shared.messages;

import static com.mp3converter.shared.messages.FailureReason.Audience.OPERATOR;
import static com.mp3converter.shared.messages.FailureReason.Audience.USER;
import static com.mp3converter.shared.messages.FailureReason.Retry.FINAL;
import static com.mp3converter.shared.messages.FailureReason.Retry.RETRIED;
import static com.mp3converter.shared.messages.FailureReason.UserRetry.AGAIN;
import static com.mp3converter.shared.messages.FailureReason.UserRetry.NEVER;

import java.util.Arrays;

/**
 * Why a job failed, and the failure policy in one table: the stable code machines read, whether the worker tries
 * the job again, who has to look at it, the HTTP status a client gets for it, and the sentence the user reads
 * (the failed event's {@code message}, the conversion's {@code error.message} and the email say it).
 */
public enum FailureReason {
  //                 code                  retry    who must look  HTTP  user retry  the user's sentence
  SOURCE_UNREACHABLE("source_unreachable", RETRIED, OPERATOR,      502, AGAIN,
      "We could not download the file from the address you gave."),
  SOURCE_NOT_FOUND("source_not_found",     FINAL,   USER,          422, NEVER,
      "The address you gave does not point to a file (the server answered 'not found')."),
  SOURCE_TOO_LARGE("source_too_large",     FINAL,   USER,          413, NEVER,
      "The file is larger than we accept."),
  NOT_AUDIO("not_audio",                   FINAL,   USER,          415, NEVER,
      "The file is not an audio file we can read."),
  TOO_LONG("too_long",                     FINAL,   USER,          422, NEVER,
      "The recording is longer than we accept."),
  // The same bytes fail the same way, so neither a failed nor a stopped conversion is tried again.
  CONVERSION_FAILED("conversion_failed",   FINAL,   OPERATOR,      422, NEVER,
      "The audio could not be converted to " + OutputFormat.DEFAULT.displayName() + "."),
  TIMEOUT("timeout",                       FINAL,   OPERATOR,      422, AGAIN,
      "The conversion took too long and was stopped."),
  BLOCKED_URL("blocked_url",               FINAL,   USER,          400, NEVER,
      "The address you gave is not allowed (only public http and https addresses are)."),
  // Retried in place, with backoff, before the job gets this reason; the job is not tried again on top.
  STORAGE_UNAVAILABLE("storage_unavailable", FINAL, OPERATOR,      503, AGAIN,
      "We could not store the " + OutputFormat.DEFAULT.displayName() + "."),
  INTERNAL("internal_error",               RETRIED, OPERATOR,      500, AGAIN,
      "Something went wrong on our side.");

  /** Whether the worker tries the job again (with backoff, a bounded number of times) before it fails it. */
  public enum Retry {
    RETRIED,
    FINAL
  }

  /**
   * Whether the user may retry a job that failed this way ({@code POST /conversions/{id}/retry}): only failures
   * that another attempt could get past (an outage, a server that did not answer, a run that took too long on a
   * busy worker); the same bytes or the same address fail the same way otherwise.
   */
  public enum UserRetry {
    AGAIN,
    NEVER
  }

  /**
   * Who has to look at a failed job: the user alone (it was their input), or an operator too (the job is parked
   * in the worker's dead-letter queue after the user was told).
   */
  public enum Audience {
    USER,
    OPERATOR
  }

  private final String code;
  private final Retry retry;
  private final Audience audience;
  private final int httpStatus;
  private final UserRetry userRetry;
  private final String userMessage;

  FailureReason(String code, Retry retry, Audience audience, int httpStatus, UserRetry userRetry, String userMessage) {
    this.code = code;
    this.retry = retry;
    this.audience = audience;
    this.httpStatus = httpStatus;
    this.userRetry = userRetry;
    this.userMessage = userMessage;
  }

  public String code() {
    return code;
  }

  /**
   * Whether another attempt at the job could succeed. A particular failure may still be final for a reason that
   * is not (a source's 403 is source_unreachable, and asking again will not change it).
   */
  public boolean retried() {
    return retry == RETRIED;
  }

  /** Whether the user may retry a job that failed for this reason (the retry endpoint answers 409 otherwise). */
  public boolean userMayRetry() {
    return userRetry == UserRetry.AGAIN;
  }

  /** Whether an operator has to look at the failed job, not only the user. */
  public boolean needsOperator() {
    return audience == OPERATOR;
  }

  /** The status a client is answered with when this reason is reported to it directly rather than by email. */
  public int httpStatus() {
    return httpStatus;
  }

  /** A sentence a user can read: never a stack trace, an internal path or a quote of their input. */
  public String userMessage() {
    return userMessage;
  }

  /** The reason for a code; an unknown code (a newer worker's) is reported as internal_error. */
  public static FailureReason fromCode(String code) {
    return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst().orElse(INTERNAL);
  }
}
