package com.mp3converter.shared.messages;

import java.time.Instant;

/**
 * A conversion job, published by the gateway with routing key {@code conversion.requested}. The source is either a
 * URL ({@code sourceUrl}) or a file the user uploaded to object storage ({@code sourceObjectKey}, built by
 * {@link ObjectKeys#upload}, and the file name the user gave it, {@code sourceFilename}); exactly one of the two is
 * set. The upload fields were added without a new {@code v}: they are optional, and a reader that does not know them
 * ignores them (Json.MESSAGES), so workers must be updated before gateways accept uploads.
 */
public record ConversionRequested(
    int v,
    String jobId,
    String userId,
    String email,
    String name,
    String sourceUrl,
    String bitrate,
    Instant requestedAt,
    String sourceObjectKey,
    String sourceFilename,
    int attempt) {

  public static final int VERSION = 1;

  /**
   * Retrying a failed job publishes it again with the next attempt. {@code attempt}: which attempt at the job this
   * is (1, then one more per retry); a message from before attempts existed has none and is the first.
   */
  public ConversionRequested {
    attempt = Math.max(1, attempt);
  }

  /** The first attempt at a job for the file at {@code sourceUrl}. */
  public ConversionRequested(int v, String jobId, String userId, String email, String name, String sourceUrl,
      String bitrate, Instant requestedAt) {
    this(v, jobId, userId, email, name, sourceUrl, bitrate, requestedAt, null, null, 1);
  }

  /** An attempt at a job for the file at {@code sourceUrl}. */
  public ConversionRequested(int v, String jobId, String userId, String email, String name, String sourceUrl,
      String bitrate, Instant requestedAt, int attempt) {
    this(v, jobId, userId, email, name, sourceUrl, bitrate, requestedAt, null, null, attempt);
  }

  /** The first attempt at a job for a source given by URL or upload. */
  public ConversionRequested(int v, String jobId, String userId, String email, String name, String sourceUrl,
      String bitrate, Instant requestedAt, String sourceObjectKey, String sourceFilename) {
    this(v, jobId, userId, email, name, sourceUrl, bitrate, requestedAt, sourceObjectKey, sourceFilename, 1);
  }

  /** Whether the source is an uploaded file in object storage rather than a URL. */
  public boolean uploaded() {
    return sourceObjectKey != null;
  }

  /** The source's own name ({@link DownloadFilenames}): the upload's file name, or the URL's last path segment. */
  public String sourceName() {
    return uploaded() ? sourceFilename : DownloadFilenames.urlSourceName(sourceUrl);
  }
}
