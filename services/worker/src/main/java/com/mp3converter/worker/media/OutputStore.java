package com.mp3converter.worker.media;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.DownloadFilenames;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.worker.job.JobHeaders;
import com.mp3converter.worker.job.JobKeys;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The S3 side of a job (routes/worker/upload.camel.yaml): the requests of the S3 endpoint, which is driven by
 * message headers, and what its answer means. Each request starts from an empty message, so nothing from the job
 * message or an earlier request (a lookup's operation would turn a put into a HEAD) reaches the object store.
 * The put streams the output file from disk with its known length; the key is derived from the job's ids only,
 * so a redelivered job overwrites its own object and nothing a user typed becomes part of a key. The output's
 * duration and file name travel as object metadata, so a redelivered job whose output is already stored can announce it again
 * without converting it again ({@link #stored}).
 */
public final class OutputStore {
  /** User metadata key (x-amz-meta-duration-seconds) holding the output's duration as ffmpeg reported it. */
  static final String DURATION_METADATA = "duration-seconds";
  /** User metadata key (x-amz-meta-filename) holding the name the output is offered under (ASCII by its rule). */
  static final String FILENAME_METADATA = "filename";

  private static final Logger LOG = LoggerFactory.getLogger(OutputStore.class);

  private final OutputFormat format;

  public OutputStore(OutputFormat format) {
    this.format = format;
  }

  /** Fills in {@code request} as the put of the job's output file. */
  public void putRequest(
      @ExchangeProperty(JobKeys.JOB) ConversionRequested job,
      @ExchangeProperty(JobKeys.OUTPUT) OutputFile output,
      Message request) {
    JobHeaders.clear(request);
    request.setBody(output.path().toFile());
    request.setHeader(AWS2S3Constants.KEY, key(job));
    request.setHeader(AWS2S3Constants.CONTENT_LENGTH, output.bytes());
    request.setHeader(AWS2S3Constants.CONTENT_TYPE, format.contentType());
    request.setHeader(AWS2S3Constants.METADATA, Map.of(
        DURATION_METADATA, String.format(Locale.ROOT, "%.3f", output.durationSeconds()),
        FILENAME_METADATA, output.filename()));
  }

  /** Fills in {@code request} as the HEAD request for the job's object (same endpoint as the put). */
  public void lookupRequest(@ExchangeProperty(JobKeys.JOB) ConversionRequested job, Message request) {
    JobHeaders.clear(request);
    request.setBody(null);
    request.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.headObject);
    request.setHeader(AWS2S3Constants.KEY, key(job));
  }

  /**
   * The job's output is already stored (an earlier delivery of this job got that far, then its acknowledgement
   * was lost): it becomes the job's result ({@link JobKeys#OUTPUT}), so the route publishes conversion.completed
   * without converting. No answer means not stored.
   */
  public OutputFile stored(@Body HeadObjectResponse head, @ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    if (head == null) {
      return null;
    }
    double duration = duration(head.metadata().get(DURATION_METADATA));
    LOG.info("Job {}: its output is already stored ({} bytes); announcing it again instead of converting again",
        job.jobId(), head.contentLength());
    return new OutputFile(null, head.contentLength(), duration, filename(head.metadata().get(FILENAME_METADATA), job));
  }

  /** The stored name if it is one the rule could have made; an object stored without one gets its source's. */
  private String filename(String metadata, ConversionRequested job) {
    return DownloadFilenames.isSafe(metadata) ? metadata : DownloadFilenames.of(null, job.sourceName(), job.jobId(), format);
  }

  private String key(ConversionRequested job) {
    return ObjectKeys.output(job.userId(), job.jobId(), format);
  }

  /** An object stored without the metadata (or with a damaged value) still counts; only its duration is unknown. */
  static double duration(String metadata) {
    if (metadata == null) {
      return 0;
    }
    try {
      double value = Double.parseDouble(metadata.strip());
      return Double.isFinite(value) && value > 0 ? value : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
