package com.mp3converter.worker.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.worker.media.ToolRunner;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs users cancelled, as this worker instance heard of them (routes/worker/cancel.camel.yaml). Every
 * instance has its own cancel queue ({@link Topology#workerCancelQueue}), so each hears of every cancellation:
 * the one running the job stops its ffprobe/ffmpeg at once ({@link ToolRunner#stopJob}), and any instance that
 * takes the job from the queue later skips it ({@link #checkNotCancelled}, between the steps of a job too).
 *
 * <p>The record is in memory and bounded (the most recent {@link #REMEMBERED} cancellations): an instance that
 * started after a cancellation may still run the job, which is harmless. The gateway's row is cancelled already,
 * so the job's late events change nothing, and the notifier asks the gateway before every email.
 */
public final class JobCancellations {
  private static final Logger LOG = LoggerFactory.getLogger(JobCancellations.class);
  static final int REMEMBERED = 10_000;

  private final String queue = Topology.workerCancelQueue(UUID.randomUUID().toString());
  private final ToolRunner tools;
  private final Set<String> cancelled = Collections.synchronizedSet(Collections.newSetFromMap(
      new LinkedHashMap<String, Boolean>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      }));

  public JobCancellations(ToolRunner tools) {
    this.tools = tools;
  }

  /** This instance's cancel queue (exclusive to it, deleted when it goes). */
  public String queue() {
    return queue;
  }

  /** A {@code conversion.cancel} message: remembered, and the job's running tool (if here) stopped. */
  public void cancelled(@Body byte[] message) throws IOException {
    JsonNode cancel = Json.MESSAGES.readTree(message == null ? new byte[0] : message);
    String jobId;
    try {
      jobId = UUID.fromString(cancel.path("jobId").asText()).toString();
    } catch (IllegalArgumentException e) {
      LOG.warn("Ignoring a cancel message without a job id");
      return;
    }
    cancelled.add(jobId);
    if (tools.stopJob(JobWorkspace.folderPrefix(jobId))) {
      LOG.info("Job {} was cancelled by its user: its running tool was stopped", jobId);
    }
  }

  public boolean isCancelled(String jobId) {
    return cancelled.contains(jobId);
  }

  /** Whether the job in hand (property job; none for a message that is not a job) was cancelled. */
  public boolean cancelledJob(@ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    return job != null && isCancelled(job.jobId());
  }

  /** Ends the job's processing here (JobCancelledException, acknowledged without an event) if it was cancelled. */
  public void checkNotCancelled(@ExchangeProperty(JobKeys.JOB) ConversionRequested job) {
    if (job != null && isCancelled(job.jobId())) {
      throw new JobCancelledException(job.jobId());
    }
  }
}
