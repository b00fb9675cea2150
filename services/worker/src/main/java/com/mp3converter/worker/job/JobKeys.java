package com.mp3converter.worker.job;

/** Names of the exchange properties that carry a job through the routes (the YAML uses the same strings). */
public final class JobKeys {
  /** The {@link com.mp3converter.shared.messages.ConversionRequested} being worked on. */
  public static final String JOB = "job";
  /** The RabbitMQ delivery tag to acknowledge once the outcome is published. */
  public static final String DELIVERY_TAG = "deliveryTag";
  /** The job's private temp folder (a {@link java.nio.file.Path}). */
  public static final String JOB_DIR = "jobDir";
  /** Which step is running, so a failure can be attributed (download, probe, convert, measure, upload). */
  public static final String STEP = "step";
  /** What ffprobe found in the source ({@link com.mp3converter.worker.media.SourceMedia}). */
  public static final String SOURCE_MEDIA = "sourceMedia";
  /** The finished MP3 ({@link com.mp3converter.worker.media.Mp3File}). */
  public static final String MP3 = "mp3";
  /** The URL the download loop fetches next; the loop ends when it is removed. */
  public static final String SOURCE_NEXT = "sourceNext";
  /** The URL being fetched (base for a relative Location) and the redirects followed so far. */
  public static final String SOURCE_CURRENT = "sourceCurrent";
  public static final String SOURCE_REDIRECTS = "sourceRedirects";

  private JobKeys() {}
}
