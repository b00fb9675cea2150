package com.mp3converter.worker.media;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.worker.job.JobHeaders;
import com.mp3converter.worker.job.JobKeys;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The S3 side of a job (routes/worker/upload.camel.yaml). The put streams the finished MP3 from disk with its
 * known length; the key is derived from the job's ids only, so a redelivered job overwrites its own object and
 * nothing a user typed becomes part of a key. The MP3's duration travels as object metadata, so a redelivered
 * job whose MP3 is already stored can announce it again without converting it again ({@link #stored}).
 */
public final class Mp3Upload {
  public static final String CONTENT_TYPE = "audio/mpeg";
  /** User metadata key (x-amz-meta-duration-seconds) holding the MP3's duration as ffprobe measured it. */
  static final String DURATION_METADATA = "duration-seconds";

  private static final Logger LOG = LoggerFactory.getLogger(Mp3Upload.class);

  public void prepare(Exchange exchange) {
    ConversionRequested job = exchange.getProperty(JobKeys.JOB, ConversionRequested.class);
    Mp3File mp3 = exchange.getProperty(JobKeys.MP3, Mp3File.class);
    Message message = exchange.getIn();
    JobHeaders.clear(message);
    message.setBody(mp3.path().toFile());
    message.setHeader(AWS2S3Constants.KEY, ObjectKeys.mp3(job.userId(), job.jobId()));
    message.setHeader(AWS2S3Constants.CONTENT_LENGTH, mp3.bytes());
    message.setHeader(AWS2S3Constants.CONTENT_TYPE, CONTENT_TYPE);
    message.setHeader(AWS2S3Constants.METADATA,
        Map.of(DURATION_METADATA, String.format(Locale.ROOT, "%.3f", mp3.durationSeconds())));
  }

  /** The HEAD request for the job's object (the same endpoint as the put, another operation). */
  public void storedQuery(Exchange exchange) {
    ConversionRequested job = exchange.getProperty(JobKeys.JOB, ConversionRequested.class);
    Message message = exchange.getIn();
    JobHeaders.clear(message);
    message.setBody(null);
    message.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.headObject);
    message.setHeader(AWS2S3Constants.KEY, ObjectKeys.mp3(job.userId(), job.jobId()));
  }

  /**
   * The job's MP3 is already stored (an earlier delivery of this job got that far, then its acknowledgement was
   * lost): remember it as the job's result, so the route publishes conversion.completed without converting.
   */
  public void stored(Exchange exchange) {
    Object body = exchange.getIn().getBody();
    JobHeaders.clear(exchange.getIn());
    if (!(body instanceof HeadObjectResponse head)) {
      // No such key (upload.camel.yaml lets the route go on): not stored, the job is converted.
      return;
    }
    ConversionRequested job = exchange.getProperty(JobKeys.JOB, ConversionRequested.class);
    double duration = duration(head.metadata().get(DURATION_METADATA));
    LOG.info("Job {}: its MP3 is already stored ({} bytes); announcing it again instead of converting again",
        job.jobId(), head.contentLength());
    exchange.setProperty(JobKeys.MP3, new Mp3File(null, head.contentLength(), duration));
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
