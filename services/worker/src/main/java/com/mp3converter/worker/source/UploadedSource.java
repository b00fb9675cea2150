package com.mp3converter.worker.source;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.worker.WorkerMetrics;
import com.mp3converter.worker.job.JobHeaders;
import com.mp3converter.worker.job.JobKeys;
import com.mp3converter.worker.job.JobWorkspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * A source the user uploaded (the job's {@code sourceObjectKey}, uploads/{userId}/{jobId}): read from the object
 * store into the job folder as "source", under the same size cap as a download (MP3_MAX_SOURCE_BYTES), then probed
 * and converted like any source. Once the job completed, its upload is deleted (a failed job keeps it, so that a
 * retry can still convert it; the bucket's lifecycle rule for uploads/ removes what is left).
 */
public final class UploadedSource {
  private final long maxBytes;
  private final WorkerMetrics metrics;

  public UploadedSource(long maxBytes, WorkerMetrics metrics) {
    this.maxBytes = maxBytes;
    this.metrics = metrics;
  }

  /** Whether the job's source is an upload (worker-job fetches it from storage instead of downloading it). */
  public boolean isUpload(@ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    return job.uploaded();
  }

  /** The S3 request that reads the upload. */
  public void getRequest(@ExchangeProperty(JobKeys.JOB) ConversionRequested job, Message request) {
    JobHeaders.clear(request);
    request.setBody(null);
    request.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.getObject);
    request.setHeader(AWS2S3Constants.KEY, job.sourceObjectKey());
  }

  /** The upload is gone (deleted, expired): the job cannot be done, now or later. */
  public void missing() {
    throw new ConversionException(FailureReason.SOURCE_NOT_FOUND, "The uploaded file is no longer stored.");
  }

  /**
   * Saves the object's body as the job's source as it is read from S3 (the only copy: stream caching is off in the
   * worker), stopping at the cap. The message is emptied afterwards.
   */
  public void save(@ExchangeProperty(JobKeys.JOB_DIR) Path jobDir, Message response) throws IOException {
    Path target = jobDir.resolve(JobWorkspace.SOURCE_FILE);
    long total = 0;
    try (InputStream body = response.getBody(InputStream.class);
        OutputStream out = Files.newOutputStream(target)) {
      if (body == null) {
        throw new ConversionException(FailureReason.NOT_AUDIO, "The uploaded file is empty.");
      }
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = body.read(buffer)) >= 0; ) {
        total += n;
        if (total > maxBytes) {
          if (body instanceof ResponseInputStream<?> s3) {
            s3.abort();
          }
          throw new SourceTooLargeException(maxBytes);
        }
        out.write(buffer, 0, n);
      }
    } finally {
      JobHeaders.clear(response);
      response.setBody(null);
    }
    metrics.downloaded(total);
    if (total == 0) {
      throw new ConversionException(FailureReason.NOT_AUDIO, "The uploaded file is empty.");
    }
  }

  /** The S3 request that deletes the upload of a completed job. */
  public void deleteRequest(@ExchangeProperty(JobKeys.JOB) ConversionRequested job, Message request) {
    JobHeaders.clear(request);
    request.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.deleteObject);
    request.setHeader(AWS2S3Constants.KEY, job.sourceObjectKey());
    request.setBody(null);
  }
}
