package com.mp3converter.worker.source;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.shared.url.SourceUrlPolicy;
import com.mp3converter.worker.WorkerCapacity;
import com.mp3converter.worker.WorkerMetrics;
import com.mp3converter.worker.job.JobHeaders;
import com.mp3converter.worker.job.JobKeys;
import com.mp3converter.worker.job.JobWorkspace;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.util.IOHelper;

/**
 * The download loop's logic (routes/worker/download.camel.yaml): check the job's URL, build each request from
 * nothing but the checked URL, and decide what each response means: the file (arriving as {@code source} in the
 * job's folder, {@link SourceArrival}), a redirect to check and follow, or a failure with its reason. The loop runs
 * while there is a {@link SourceFetch} to make ({@link JobKeys#SOURCE_FETCH}).
 */
public final class SourceDownload {
  private final SourceUrlPolicy policy;
  private final Redirects redirects;
  private final long maxBytes;
  private final WorkerMetrics metrics;
  private final ExecutorService arrivals;
  private final boolean encodeWhileDownloading;
  private final WorkerCapacity capacity;

  /**
   * @param arrivals runs each body's copy into its job folder
   * @param encodeWhileDownloading whether the job may go on once the source's head has arrived (mp3.worker.
   *     encode-while-downloading), or waits for all of it
   * @param capacity whether an encoder is free: a job that would wait for one anyway waits for its whole source
   */
  public SourceDownload(SourceUrlPolicy policy, Redirects redirects, long maxBytes, WorkerMetrics metrics,
      ExecutorService arrivals, boolean encodeWhileDownloading, WorkerCapacity capacity) {
    this.policy = policy;
    this.redirects = redirects;
    this.maxBytes = maxBytes;
    this.metrics = metrics;
    this.arrivals = arrivals;
    this.encodeWhileDownloading = encodeWhileDownloading;
    this.capacity = capacity;
  }

  /** The first fetch: the job's URL, checked. */
  public SourceFetch begin(@ExchangeProperty(JobKeys.JOB) ConversionRequested job) throws BlockedUrlException {
    return new SourceFetch(policy.check(job.sourceUrl()), 0);
  }

  /**
   * Fills in {@code request} with nothing of ours: message headers are dropped (the endpoint also skips mapping
   * headers), the body is empty, and the only instruction left is the URL. Camel resolves property placeholders
   * in that URL; a checked URI never contains a raw brace, and this is asserted here.
   */
  public void request(@ExchangeProperty(JobKeys.SOURCE_FETCH) SourceFetch fetch, Message request)
      throws BlockedUrlException {
    String url = fetch.url().toASCIIString();
    if (url.indexOf('{') >= 0 || url.indexOf('}') >= 0) {
      throw new BlockedUrlException("The URL is not well formed.");
    }
    JobHeaders.clear(request);
    request.setBody(null);
    request.setHeader(Exchange.HTTP_URI, url);
  }

  /**
   * What the response means: the file, arriving as "source" in the job folder ({@link JobKeys#SOURCE_ARRIVAL}; no
   * next fetch: the loop ends), a redirect to check and follow (the next fetch), or a failure with its reason. A
   * bean step, not an expression: an expression's bean gets a copy of the exchange, and this one empties the
   * message itself, so nothing the source sent travels on, not even past a failure.
   */
  public void response(
      @ExchangeProperty(JobKeys.SOURCE_FETCH) SourceFetch fetch,
      @ExchangeProperty(JobKeys.JOB_DIR) Path jobDir,
      Exchange exchange) throws IOException {
    Message response = exchange.getMessage();
    try {
      Integer status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
      if (status == null) {
        throw new IllegalStateException("The HTTP call ended without a status.");
      }
      if (status >= 200 && status < 300) {
        exchange.setProperty(JobKeys.SOURCE_ARRIVAL, arrive(response, jobDir.resolve(JobWorkspace.SOURCE_FILE)));
        exchange.removeProperty(JobKeys.SOURCE_FETCH);
      } else if (Redirects.isRedirect(status)) {
        URI next = redirects.next(fetch.url(), location(response), fetch.redirectsFollowed());
        exchange.setProperty(JobKeys.SOURCE_FETCH, new SourceFetch(next, fetch.redirectsFollowed() + 1));
      } else {
        throw new SourceStatusException(status);
      }
    } finally {
      // A body not handed over is closed unfinished, which aborts its connection (ByteCapInputStream); other
      // statuses come without a body (SourceResponseGuard).
      if (response.getBody() instanceof Closeable body) {
        IOHelper.close(body);
      }
      JobHeaders.clear(response);
      response.setBody(null);
    }
  }

  /**
   * Hands the body over to its arrival into the job folder: it is written as it comes off the wire (the endpoint
   * leaves it uncached, download.camel.yaml), the only copy. The guarded stream fails there at the cap or the
   * deadline, which the arrival keeps for whoever waits for its end.
   */
  private SourceArrival arrive(Message message, Path target) throws IOException {
    InputStream body = message.getBody(InputStream.class);
    if (body == null) {
      throw new ConversionException(FailureReason.NOT_AUDIO, "The source answered with an empty body.");
    }
    SourceArrival arrival = SourceArrival.start(body, target, maxBytes, arrivals, metrics::downloaded);
    message.setBody(null);
    return arrival;
  }

  /**
   * Returns once the job can go on: the source's head has arrived when ffmpeg may start while the rest arrives
   * (mp3.worker.encode-while-downloading, and an encoder is free now), else all of it; a download that failed
   * first fails here. A job that would wait for an encoder anyway (a backlog) is probed once, on its whole source:
   * a second probe and the pipe would only take CPU from the encoders that are running.
   */
  public void awaitStart(@ExchangeProperty(JobKeys.SOURCE_ARRIVAL) SourceArrival arrival)
      throws IOException, InterruptedException {
    if (encodeWhileDownloading && capacity.encoderFree()) {
      arrival.awaitHead();
      if (arrival.ended() && !arrival.arrivedWhole()) {
        arrival.awaitEnd();
      }
    } else {
      arrival.awaitEnd();
    }
  }

  /** Whether the source is all there (an uploaded source always is: it has no arrival). */
  public boolean arrivedWhole(@ExchangeProperty(JobKeys.SOURCE_ARRIVAL) SourceArrival arrival) {
    return arrival == null || arrival.arrivedWhole();
  }

  /** Stops a download the ended attempt left under way (worker-job, before its folder is removed). */
  public void abandon(@ExchangeProperty(JobKeys.SOURCE_ARRIVAL) SourceArrival arrival) {
    if (arrival != null) {
      arrival.close();
    }
  }

  /** One Location, or null; several disagreeing ones are as good as none. */
  private static String location(Message message) {
    Object value = message.getHeader("Location");
    if (value instanceof List<?> values) {
      return values.size() == 1 ? String.valueOf(values.get(0)) : null;
    }
    return value == null ? null : value.toString();
  }
}
