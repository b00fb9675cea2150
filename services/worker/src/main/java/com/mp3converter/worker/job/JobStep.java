package com.mp3converter.worker.job;

import java.util.Locale;

/**
 * The steps of a job, as the routes name them in the {@link JobKeys#STEP} property (the lower-case name). The
 * step decides what a failure means where the exception itself does not say: a network error while downloading
 * is the source's, anything while talking to the object store is the storage's, and a failure to publish an
 * event is the broker's (errors.camel.yaml hands such a job back to the queue instead of failing it).
 */
public enum JobStep {
  /** worker-download: the source is fetched. */
  DOWNLOAD,
  /** worker-fetch-upload: an uploaded source is read from the object store. */
  FETCH,
  /** worker-probe: ffprobe judges the source. */
  PROBE,
  /** worker-convert: ffmpeg writes the output file. */
  CONVERT,
  /** worker-upload: the output file is stored. */
  UPLOAD,
  /** worker-stored: is the job's output already stored? */
  LOOKUP,
  /** worker-started, worker-completed: an event is published. */
  PUBLISH;

  /** The name the routes give the step. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The object store's steps: they retry in place (upload.camel.yaml), so what fails there is the storage's. */
  public boolean isStorage() {
    return this == UPLOAD || this == LOOKUP || this == FETCH;
  }
}
