package com.mp3converter.worker.source;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.shared.url.SourceUrlPolicy;
import com.mp3converter.worker.job.JobHeaders;
import com.mp3converter.worker.job.JobKeys;
import com.mp3converter.worker.job.JobWorkspace;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.util.IOHelper;

/**
 * The download loop's logic (routes/worker/download.camel.yaml): check the job's URL, build each request from
 * nothing but the checked URL, and decide what each response means: the file (saved as {@code source} in the
 * job's folder), a redirect to check and follow, or a failure with its reason.
 */
public final class SourceDownload {
  private final SourceUrlPolicy policy;
  private final Redirects redirects;
  private final long maxBytes;

  public SourceDownload(SourceUrlPolicy policy, Redirects redirects, long maxBytes) {
    this.policy = policy;
    this.redirects = redirects;
    this.maxBytes = maxBytes;
  }

  /** Checks the job's URL; the loop then fetches {@link JobKeys#SOURCE_NEXT} until it is removed. */
  public void begin(Exchange exchange) throws BlockedUrlException {
    ConversionRequested job = exchange.getProperty(JobKeys.JOB, ConversionRequested.class);
    exchange.setProperty(JobKeys.SOURCE_NEXT, policy.check(job.sourceUrl()));
    exchange.setProperty(JobKeys.SOURCE_REDIRECTS, 0);
  }

  /**
   * The request carries nothing of ours: message headers are dropped (the endpoint also skips mapping
   * headers), the body is empty, and the only instruction left is the URL. Camel resolves property placeholders
   * in that URL; a checked URI never contains a raw brace, and this is asserted here.
   */
  public void request(Exchange exchange) throws BlockedUrlException {
    URI next = exchange.getProperty(JobKeys.SOURCE_NEXT, URI.class);
    String url = next.toASCIIString();
    if (url.indexOf('{') >= 0 || url.indexOf('}') >= 0) {
      throw new BlockedUrlException("The URL is not well formed.");
    }
    Message message = exchange.getIn();
    JobHeaders.clear(message);
    message.setBody(null);
    message.setHeader(Exchange.HTTP_URI, url);
    // camel-http would inflate a gzip body after the response guard counted it on the wire: a small compressed
    // body would then fill the disk unbounded. Bodies are kept exactly as sent (a compressed file is not audio).
    exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, true);
    exchange.setProperty(JobKeys.SOURCE_CURRENT, next);
  }

  /** What the response means; the message is emptied afterwards so nothing the source sent travels on. */
  public void response(Exchange exchange) throws IOException {
    Message message = exchange.getMessage();
    try {
      Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
      if (status == null) {
        throw new IllegalStateException("The HTTP call ended without a status.");
      }
      if (status >= 200 && status < 300) {
        save(message, exchange.getProperty(JobKeys.JOB_DIR, Path.class).resolve(JobWorkspace.SOURCE_FILE));
        exchange.removeProperty(JobKeys.SOURCE_NEXT);
      } else if (Redirects.isRedirect(status)) {
        int followed = exchange.getProperty(JobKeys.SOURCE_REDIRECTS, 0, Integer.class);
        URI current = exchange.getProperty(JobKeys.SOURCE_CURRENT, URI.class);
        exchange.setProperty(JobKeys.SOURCE_NEXT, redirects.next(current, location(message), followed));
        exchange.setProperty(JobKeys.SOURCE_REDIRECTS, followed + 1);
      } else {
        throw new SourceStatusException(status);
      }
    } finally {
      // Closing the body also deletes Camel's spooled copy of it.
      if (message.getBody() instanceof Closeable body) {
        IOHelper.close(body);
      }
      JobHeaders.clear(message);
      message.setBody(null);
    }
  }

  private void save(Message message, Path target) throws IOException {
    try (InputStream body = message.getBody(InputStream.class)) {
      if (body == null) {
        throw new ConversionException(FailureReason.NOT_AUDIO, "The source answered with an empty body.");
      }
      Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
    }
    long size = Files.size(target);
    // The guard already stopped the transfer at the cap; this holds even if the body came another way.
    if (size > maxBytes) {
      throw new SourceTooLargeException(maxBytes);
    }
    if (size == 0) {
      throw new ConversionException(FailureReason.NOT_AUDIO, "The source answered with an empty body.");
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
