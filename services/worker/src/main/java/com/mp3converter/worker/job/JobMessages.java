package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.ObjectKeys;
import java.util.UUID;
import org.apache.camel.Body;

/**
 * Accepts a job message that was read with the lenient message mapper (unknown fields ignored, so a newer
 * gateway never breaks this worker). What we cannot work on without guessing makes it a poison message: no
 * schema version, ids that are not UUIDs (they become the object key and folder names), no source URL, or an
 * upload key that is not the job's own.
 */
public final class JobMessages {

  /** The job, which worker-accept keeps as {@link JobKeys#JOB}. */
  public ConversionRequested accept(@Body Object body) {
    if (!(body instanceof ConversionRequested job)) {
      throw new PoisonMessageException("The message is not a conversion job.");
    }
    if (job.v() < ConversionRequested.VERSION) {
      throw new PoisonMessageException("Unsupported schema version " + job.v() + ".");
    }
    uuid(job.jobId(), "jobId");
    uuid(job.userId(), "userId");
    if (job.uploaded()) {
      // Only the job's own upload: a message naming any other object is not one the gateway wrote.
      if (job.sourceUrl() != null || !job.sourceObjectKey().equals(ObjectKeys.upload(job.userId(), job.jobId()))) {
        throw new PoisonMessageException("The job's sourceObjectKey is not its upload's key.");
      }
      return job;
    }
    if (job.sourceUrl() == null || job.sourceUrl().isBlank()) {
      throw new PoisonMessageException("The job has no sourceUrl.");
    }
    return job;
  }

  private static void uuid(String value, String field) {
    try {
      if (value == null || !UUID.fromString(value).toString().equals(value.toLowerCase())) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new PoisonMessageException("The job's " + field + " is not a UUID.");
    }
  }
}
