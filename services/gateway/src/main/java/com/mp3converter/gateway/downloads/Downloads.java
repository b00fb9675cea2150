package com.mp3converter.gateway.downloads;

import com.mp3converter.gateway.conversions.JobStatus;
import com.mp3converter.gateway.web.ServletExchanges;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.DownloadTokens;
import com.mp3converter.shared.token.InvalidTokenException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.util.IOHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@code GET /downloads/{token}}: the token names the job and its user; the job must still be theirs and
 * completed; the object's size decides the range; the answer streams the object from S3.
 */
public final class Downloads {
  public static final String GRANT = "grant";
  public static final String RANGE_HEADER = "rangeHeader";
  public static final String FILE = "file";
  public static final String RANGE = "range";
  public static final String PARTIAL = "partial";
  /**
   * The servlet response, taken at the start: later steps (JDBC, S3) may replace the exchange's message, and with
   * it the platform-http message that carries the response.
   */
  public static final String SERVLET_RESPONSE = "servletResponse";

  static final String S3_KEY = "CamelAwsS3Key";
  static final String S3_OPERATION = "CamelAwsS3Operation";
  static final String S3_RANGE_START = "CamelAwsS3RangeStart";
  static final String S3_RANGE_END = "CamelAwsS3RangeEnd";

  private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);

  /** The object to send, the name to offer it under, and its format (the content type). */
  public record StoredFile(String key, String filename, OutputFormat format) {}

  private final DownloadTokens tokens;

  public Downloads(DownloadTokens tokens) {
    this.tokens = tokens;
  }

  /** Checks the token (403 forged or tampered, 410 expired); answers the parameters of the job lookup. */
  public Map<String, Object> authorize(Exchange exchange) {
    Message message = exchange.getIn();
    ServletExchanges.response(exchange).ifPresent(response -> exchange.setProperty(SERVLET_RESPONSE, response));
    DownloadTokens.Grant grant = verify(message.getHeader("token", String.class));
    exchange.setProperty(GRANT, grant);
    exchange.setProperty(RANGE_HEADER, message.getHeader("Range", String.class));
    return Map.of("id", UUID.fromString(grant.jobId()), "userId", UUID.fromString(grant.userId()));
  }

  DownloadTokens.Grant verify(String token) {
    DownloadTokens.Grant grant;
    try {
      grant = tokens.verify(token);
    } catch (InvalidTokenException e) {
      if (e.expired()) {
        throw ProblemException.gone("download-expired", "This download link has expired.");
      }
      throw ProblemException.forbidden("invalid-download-token", "This download link is not valid.");
    }
    try {
      UUID.fromString(grant.jobId());
      UUID.fromString(grant.userId());
    } catch (IllegalArgumentException e) {
      throw ProblemException.forbidden("invalid-download-token", "This download link is not valid.");
    }
    return grant;
  }

  /** The job row must exist, belong to the token's user (the query asks for both) and be completed. */
  public void locate(List<Map<String, Object>> rows, Exchange exchange) {
    DownloadTokens.Grant grant = exchange.getProperty(GRANT, DownloadTokens.Grant.class);
    if (rows == null || rows.isEmpty() || !JobStatus.COMPLETED.code().equals(rows.get(0).get("status"))) {
      throw ProblemException.notFound("This download is not available.");
    }
    // Every job is converted to the default format; a job that chose another would have it in its row.
    OutputFormat format = OutputFormat.DEFAULT;
    StoredFile file = new StoredFile(
        ObjectKeys.output(grant.userId(), grant.jobId(), format),
        DownloadFilenames.of((String) rows.get(0).get("source_url"), grant.jobId(), format),
        format);
    exchange.setProperty(FILE, file);
    Message message = exchange.getIn();
    message.removeHeaders("*");
    message.setHeader(S3_KEY, file.key());
    message.setHeader(S3_OPERATION, "headObject");
  }

  /** Decides what to fetch from the object's size and the client's Range header (416 when it lies outside). */
  public void plan(Exchange exchange) throws InvalidPayloadException {
    HeadObjectResponse head = exchange.getIn().getMandatoryBody(HeadObjectResponse.class);
    StoredFile file = exchange.getProperty(FILE, StoredFile.class);
    Optional<ByteRange> range =
        ByteRange.parse(exchange.getProperty(RANGE_HEADER, String.class), head.contentLength());
    Message message = exchange.getIn();
    message.removeHeaders("*");
    message.setBody(null);
    message.setHeader(S3_KEY, file.key());
    long total = head.contentLength();
    exchange.setProperty(RANGE, range.orElse(new ByteRange(0, total - 1, total)));
    exchange.setProperty(PARTIAL, range.isPresent());
    if (range.isPresent()) {
      message.setHeader(S3_OPERATION, "getObjectRange");
      message.setHeader(S3_RANGE_START, Long.toString(range.get().start()));
      message.setHeader(S3_RANGE_END, Long.toString(range.get().end()));
    } else {
      message.setHeader(S3_OPERATION, "getObject");
    }
  }

  /**
   * The response around the object stream. The body stays a stream over the SDK's: platform-http writes such a
   * body to the servlet output stream as it reads it (its binding treats responses as "chunked" by default and
   * then copies stream to stream in 8 KB steps; it buffers the whole body only when chunked is switched off), so a
   * file never sits in memory. The binding drops Content-Length and Cache-Control headers (they are on its filter
   * list), so those go straight to the servlet response, which then sends Content-Length, not chunked encoding.
   */
  public void respond(Exchange exchange) {
    StoredFile file = exchange.getProperty(FILE, StoredFile.class);
    ByteRange range = exchange.getProperty(RANGE, ByteRange.class);
    boolean partial = Boolean.TRUE.equals(exchange.getProperty(PARTIAL, Boolean.class));
    Message message = exchange.getIn();
    message.removeHeaders("*");
    message.setHeader(Exchange.HTTP_RESPONSE_CODE, partial ? 206 : 200);
    message.setHeader(Exchange.CONTENT_TYPE, file.format().contentType());
    message.setHeader("Content-Disposition", "attachment; filename=\"" + file.filename() + "\"");
    message.setHeader("Accept-Ranges", "bytes");
    message.setHeader("X-Content-Type-Options", "nosniff");
    if (partial) {
      message.setHeader("Content-Range", range.contentRange());
    }
    long length = range.length();
    if (message.getBody() instanceof ResponseInputStream<?> object) {
      S3ObjectStream stream = new S3ObjectStream(object);
      message.setBody(stream);
      // The binding closes the stream after copying it; when the copy fails half-way it may not, and this runs
      // once the response is over either way (closing twice is harmless).
      exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
        @Override
        public void onDone(Exchange done) {
          IOHelper.close(stream);
        }
      });
    }
    HttpServletResponse response = exchange.getProperty(SERVLET_RESPONSE, HttpServletResponse.class);
    if (response != null) {
      response.setContentLengthLong(length);
      // The link is a bearer credential in the URL: no shared cache may keep the file under it.
      response.setHeader("Cache-Control", "private, no-store");
    } else {
      LOG.warn("No servlet response on the exchange; the download goes out without Content-Length");
    }
  }
}
