package com.mp3converter.gateway.conversions;

import static com.mp3converter.gateway.ExchangePropertyNames.EXPIRED_JOB;

import com.mp3converter.gateway.RetentionProperties;
import com.mp3converter.gateway.conversions.Conversions.ExpiredJob;
import java.util.List;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention sweep (routes/gateway/retention.camel.yaml): finished jobs whose {@code expires_at} has passed are
 * taken from {@link Conversions} (SKIP LOCKED, so replicas share them), their MP3 is deleted from S3, then their
 * row. The row goes last: a sweep that fails half-way leaves a row that is taken again, never an MP3 nobody knows.
 * Once the row is gone the job is unknown: {@code GET /conversions/{id}} and its {@code /mp3} answer 404, its
 * email link 410 (the link expired with the file).
 */
public final class JobRetention {
  private static final Logger LOG = LoggerFactory.getLogger(JobRetention.class);

  private final RetentionProperties properties;
  private final Conversions conversions;

  public JobRetention(RetentionProperties properties, Conversions conversions) {
    this.properties = properties;
    this.conversions = conversions;
  }

  /** Expired jobs, at most one batch, each taken for one sweep interval. */
  public List<ExpiredJob> claimExpired() {
    return conversions.claimExpired(properties.interval(), properties.batchSize());
  }

  /** Whether the job has an MP3 to delete (a failed job has none). */
  public boolean hasObject(@ExchangeProperty(EXPIRED_JOB) ExpiredJob job) {
    return job.objectKey() != null;
  }

  /** The S3 request that deletes the job's MP3 (deleting a key that is already gone succeeds). */
  public void deleteObjectRequest(@ExchangeProperty(EXPIRED_JOB) ExpiredJob job, Message message) {
    message.removeHeaders("*");
    message.setHeader(AWS2S3Constants.KEY, job.objectKey());
    message.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.deleteObject);
  }

  /** Deletes the job's record, its MP3 being gone. */
  public void deleteRecord(@ExchangeProperty(EXPIRED_JOB) ExpiredJob job) {
    conversions.deleteExpired(job);
    LOG.info("Job {} expired after {}: its MP3 and record are deleted", job.id(), properties.period());
  }
}
