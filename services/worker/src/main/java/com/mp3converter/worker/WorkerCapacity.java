package com.mp3converter.worker;

/**
 * How many jobs this worker runs at once (one ffmpeg per job, and the encoder uses one core): the number of
 * consumers on worker.conversions. Each consumer's channel prefetches one message, so no job waits behind a
 * busy consumer while another worker is idle.
 */
public record WorkerCapacity(int consumers) {}
