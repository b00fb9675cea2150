package com.mp3converter.gateway;

/**
 * The exchange properties the gateway's routes hand from one step to the next: the whole contract between its
 * routes and its beans beyond headers and bodies. Beans bind them with {@code @ExchangeProperty}; a route sets
 * them by these names (Camel's own, such as {@code CamelExceptionCaught}, are not repeated here).
 */
public final class ExchangePropertyNames {
  /**
   * The caller ({@code AccessClaims}), set from the access token by the first step of every user route; later
   * steps read the user from here, never from a header.
   */
  public static final String USER = "user";

  /**
   * The job ({@code ConversionRequested}): the new one in the intake route, a claimed one in the recovery routes.
   * Stored, published and recorded as published from here.
   */
  public static final String JOB = "job";

  /** The download in progress ({@code Downloads.Download}): the object, its file name and the range to send. */
  public static final String DOWNLOAD = "download";

  /**
   * A job the retention sweep took ({@code Conversions.ExpiredJob}): its MP3 is deleted, then its record. Kept
   * here because the S3 call replaces the body.
   */
  public static final String EXPIRED_JOB = "expiredJob";

  /**
   * An upload being taken in ({@code uploads.Upload}): the file spooled to the gateway's disk, its name, size,
   * digest and output choices. Its temp file is removed however the request ends.
   */
  public static final String UPLOAD = "upload";

  /**
   * The {@code Idempotency-Key} of a submission and its request's fingerprint ({@code IdempotentSubmissions.Request}),
   * null when the request named no key.
   */
  public static final String IDEMPOTENCY = "idempotency";

  /**
   * The job an earlier submission with the same {@code Idempotency-Key} and body made ({@code Conversion}), answered
   * again with 200 instead of a new job; null when there is none.
   */
  public static final String ORIGINAL = "original";

  private ExchangePropertyNames() {}

  /** The outcome of DELETE /conversions/{id} (a {@code JobControl.Removal}). */
  public static final String REMOVAL = "removal";
}
