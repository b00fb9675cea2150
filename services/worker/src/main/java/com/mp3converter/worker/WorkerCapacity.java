package com.mp3converter.worker;

import java.util.concurrent.Semaphore;

/**
 * How much work this worker takes on. {@code encoders} jobs run ffmpeg at once (the encoder uses one core): the
 * convert step takes an encoder slot for ffmpeg's run and gives it back when ffmpeg ends, however it ends.
 * {@code jobsAhead} more jobs are in hand meanwhile, downloading, probing or uploading, so an encoder that frees up
 * starts on a job already downloaded and probed, instead of waiting for its download and for the last job's upload
 * and events. The consumer route runs {@link #consumers()} consumers on worker.conversions, each prefetching one
 * message, so no more jobs than that wait in this worker while another worker could take them.
 */
public final class WorkerCapacity {
  private final int encoders;
  private final int jobsAhead;
  private final Semaphore encoderSlots;

  /**
   * @param encoders ffmpeg processes at once, at least 1
   * @param jobsAhead jobs in hand beyond those, 0 or more (0: a job's download and upload hold its encoder slot's
   *     core idle)
   */
  public WorkerCapacity(int encoders, int jobsAhead) {
    if (encoders < 1 || jobsAhead < 0) {
      throw new IllegalArgumentException("need at least one encoder and no negative jobs ahead, not " + encoders
          + " and " + jobsAhead);
    }
    this.encoders = encoders;
    this.jobsAhead = jobsAhead;
    this.encoderSlots = new Semaphore(encoders, true);
  }

  /** Consumers on worker.conversions ({{bean:workerCapacity.consumers}} in the consumer route): jobs in hand. */
  public int consumers() {
    return encoders + jobsAhead;
  }

  public int encoders() {
    return encoders;
  }

  /** Waits for an encoder slot (first come, first served); every call must be matched by {@link #returnEncoder}. */
  public void takeEncoder() throws InterruptedException {
    encoderSlots.acquire();
  }

  public void returnEncoder() {
    encoderSlots.release();
  }

  /** Whether an encoder slot is free now (a job could start ffmpeg at once). */
  public boolean encoderFree() {
    return encoderSlots.availablePermits() > 0;
  }

  /** Encoder slots in use now (the gauge mp3_worker_encoders_busy). */
  public int encodersBusy() {
    return encoders - encoderSlots.availablePermits();
  }
}
