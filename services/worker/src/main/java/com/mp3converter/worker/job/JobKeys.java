package com.mp3converter.worker.job;

/**
 * Every exchange property the worker's routes rely on, by name: the routes (routes/worker) write the same strings,
 * and a bean reads one only through a parameter annotated with its constant, so each bean method's signature says
 * which of them it needs. Each entry says which route sets it.
 */
public final class JobKeys {
  // --- the job message (worker-consume, worker-accept) ------------------------------------------------------

  /** The message body as it arrived, parked as it was if the job cannot be worked on (worker-accept). */
  public static final String RAW_JOB = "rawJob";
  /** The accepted {@link com.mp3converter.shared.messages.ConversionRequested} (worker-accept). */
  public static final String JOB = "job";
  // The RabbitMQ delivery tag is the shared ack helper's: com.mp3converter.shared.amqp.DeliveryAck.DELIVERY_TAG.

  // --- the retries (errors.camel.yaml) ----------------------------------------------------------------------

  /**
   * The job's failed attempts so far, an Integer, counted by the error handler ({@link FailedAttempts}, run by
   * errors.camel.yaml on every failure before {@link FailureClassifier#shouldRetry} decides). One budget per
   * delivery of the job, across its steps. An exchange property because no step can replace it: Camel's own
   * count is a message header, lost with any message a step replaces.
   */
  public static final String FAILED_ATTEMPTS = "failedAttempts";

  // --- one attempt (worker-job and the step routes) ---------------------------------------------------------

  /**
   * The {@link JobStep} running, so a failure can be attributed: each step route sets it first, as a lower-case
   * constant; {@link FailureClassifier} and errors.camel.yaml read it.
   */
  public static final String STEP = "step";
  /** The attempt's private temp folder, a {@link java.nio.file.Path} (worker-job). */
  public static final String JOB_DIR = "jobDir";
  /** The download loop's next request, a {@link com.mp3converter.worker.source.SourceFetch}; absent when done. */
  public static final String SOURCE_FETCH = "sourceFetch";
  /**
   * The source's body arriving into the job folder, a {@link com.mp3converter.worker.source.SourceArrival}
   * (worker-download; absent for an uploaded source, which is fetched whole).
   */
  public static final String SOURCE_ARRIVAL = "sourceArrival";
  /**
   * Whether ffprobe saw the whole source (worker-probe): false when it judged the head of a source still arriving,
   * which ffmpeg then reads as it arrives (worker-convert, {@link com.mp3converter.worker.media.EarlyStart}).
   */
  public static final String SOURCE_PROBED_WHOLE = "sourceProbedWhole";
  /**
   * ffmpeg's run on a source still arriving, a {@link com.mp3converter.worker.media.EarlyStart.EarlyRun}: its
   * input and the check of the whole source (worker-probe to worker-convert; absent otherwise).
   */
  public static final String EARLY_RUN = "earlyRun";
  /** What ffprobe found in the source, a {@link com.mp3converter.worker.media.SourceMedia} (worker-probe). */
  public static final String SOURCE_MEDIA = "sourceMedia";
  /** What ffmpeg reports of the file it writes, a {@link com.mp3converter.worker.media.EncoderReport} (worker-convert). */
  public static final String ENCODER_REPORT = "encoderReport";
  /**
   * The job's converted file, a {@link com.mp3converter.worker.media.OutputFile}: checked and measured
   * (worker-convert), or
   * found already stored (worker-stored). Absent until then, which is how worker-consume tells the two apart.
   */
  public static final String OUTPUT = "output";

  // --- the object store loops (worker-upload, worker-stored) ------------------------------------------------

  /** Whether the request to the object store went through. */
  public static final String STORAGE_DONE = "storageDone";
  /** Failed tries of the request so far. */
  public static final String STORAGE_RETRIES = "storageRetries";

  // --- the end (worker-failed) ------------------------------------------------------------------------------

  /** Why the job failed, a {@link Failure}, settled by {@link FailureClassifier#settle}. */
  public static final String FAILURE = "failure";

  private JobKeys() {}
}
