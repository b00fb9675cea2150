package com.mp3converter.gateway.downloads;

import static com.mp3converter.gateway.ExchangePropertyNames.DOWNLOAD;
import static com.mp3converter.gateway.ExchangePropertyNames.USER;

import com.mp3converter.gateway.conversions.Conversion;
import com.mp3converter.gateway.conversions.ConversionViews;
import com.mp3converter.gateway.conversions.Conversions;
import com.mp3converter.gateway.conversions.JobStatus;
import com.mp3converter.gateway.web.ServletExchanges;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.DownloadTokens;
import com.mp3converter.shared.token.InvalidTokenException;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.util.IOHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The two ways to download a job's MP3, which share everything after the first step: {@code GET /downloads/{token}}
 * (the email's link: the token names the job and its user) and {@code GET /conversions/{id}/mp3} (the API: the
 * access token names the user). Either way the job must be that user's, completed and not expired; then the
 * object's size decides the range and the answer streams the object from S3. What one step hands to the next is
 * a {@link Download} in the exchange property {@code download}.
 */
public final class Downloads {
  static final String S3_KEY = "CamelAwsS3Key";
  static final String S3_OPERATION = "CamelAwsS3Operation";
  static final String S3_RANGE_START = "CamelAwsS3RangeStart";
  static final String S3_RANGE_END = "CamelAwsS3RangeEnd";

  private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);

  /**
   * A download in progress: the object to send, the name to offer it under, the client's {@code Range} header and,
   * once the object's size is known, the bytes to send ({@code partial}: answered 206).
   *
   * @param response the servlet response, taken at the start: later steps (S3) replace the exchange's message,
   *     and with it the platform-http message that carries the response
   */
  public record Download(
      String key, String filename, OutputFormat format, String rangeHeader, HttpServletResponse response,
      ByteRange range, boolean partial) {

    Download withRange(ByteRange range, boolean partial) {
      return new Download(key, filename, format, rangeHeader, response, range, partial);
    }
  }

  private final DownloadTokens tokens;
  private final Conversions conversions;
  private final Clock clock;
  private final Counter servedBytes;

  /** @param servedBytes counts the bytes of every MP3 sent (GatewayMetrics) */
  public Downloads(DownloadTokens tokens, Conversions conversions, Clock clock, Counter servedBytes) {
    this.tokens = tokens;
    this.conversions = conversions;
    this.clock = clock;
    this.servedBytes = servedBytes;
  }

  /**
   * {@code GET /downloads/{token}}: checks the token (403 forged or tampered, 410 expired) and the job it names:
   * it must exist, belong to the token's user and be completed (404 otherwise), and its file must not have
   * expired (410).
   */
  public Download locate(@Header("token") String token, @Header("Range") String rangeHeader, Message request) {
    DownloadTokens.Grant grant = verify(token);
    Conversion conversion = conversions.findOwned(UUID.fromString(grant.jobId()), UUID.fromString(grant.userId()))
        .map(Downloads::notDeleted)
        .filter(found -> found.status() == JobStatus.COMPLETED)
        .orElseThrow(() -> ProblemException.notFound("This download is not available."));
    return download(conversion, rangeHeader, request);
  }

  /**
   * {@code GET /conversions/{id}/mp3}: the caller's own completed job (404 for an unknown or malformed id and for
   * another user's job alike, and for a job without an MP3), unless its file has expired (410).
   */
  public Download locateOwned(@ExchangeProperty(USER) AccessClaims user, @Header("id") String id,
      @Header("Range") String rangeHeader, Message request) {
    Conversion conversion = conversions.findOwned(ConversionViews.jobId(id), UUID.fromString(user.userId()))
        .map(Downloads::notDeleted)
        .orElseThrow(() -> ProblemException.notFound("No conversion with this id."));
    if (conversion.status() != JobStatus.COMPLETED) {
      throw ProblemException.notFound("This conversion has no MP3: it is " + conversion.status().code() + ".");
    }
    return download(conversion, rangeHeader, request);
  }

  /** A job its user deleted is gone (410), with its MP3 and every link to it. */
  public static Conversion notDeleted(Conversion conversion) {
    if (conversion.deleted()) {
      throw ProblemException.gone("conversion-deleted", "This conversion was deleted, and its file with it.");
    }
    return conversion;
  }

  private Download download(Conversion conversion, String rangeHeader, Message request) {
    if (conversion.expiredAt(clock.instant())) {
      throw ProblemException.gone("download-expired",
          "This file expired at " + conversion.expiresAt() + " and has been deleted.");
    }
    // Every job is converted to the default format; a job that chose another would have it in its row.
    OutputFormat format = OutputFormat.DEFAULT;
    String jobId = conversion.id().toString();
    return new Download(ObjectKeys.output(conversion.userId().toString(), jobId, format),
        conversion.downloadFilename(format), format, rangeHeader,
        ServletExchanges.response(request).orElse(null), null, false);
  }

  /**
   * The answer to a link that was never valid (forged, tampered, malformed): 403. The same problem whether the
   * route finds it (here) or web.DownloadLinkFilter does, before the route, for a token not signed with the key.
   */
  public static ProblemException invalidLink() {
    return ProblemException.forbidden("invalid-download-token", "This download link is not valid.");
  }

  DownloadTokens.Grant verify(String token) {
    DownloadTokens.Grant grant;
    try {
      grant = tokens.verify(token);
    } catch (InvalidTokenException e) {
      if (e.expired()) {
        throw ProblemException.gone("download-expired", "This download link has expired.");
      }
      throw invalidLink();
    }
    try {
      UUID.fromString(grant.jobId());
      UUID.fromString(grant.userId());
    } catch (IllegalArgumentException e) {
      throw invalidLink();
    }
    return grant;
  }

  /** The S3 request for the object's metadata (its size). */
  public void headRequest(@ExchangeProperty(DOWNLOAD) Download download, Message message) {
    message.removeHeaders("*");
    message.setHeader(S3_KEY, download.key());
    message.setHeader(S3_OPERATION, "headObject");
  }

  /** Decides what to send from the object's size and the client's Range header (416 when it lies outside). */
  public Download plan(@Body HeadObjectResponse head, @ExchangeProperty(DOWNLOAD) Download download) {
    long total = head.contentLength();
    Optional<ByteRange> range = ByteRange.parse(download.rangeHeader(), total);
    return download.withRange(range.orElse(new ByteRange(0, total - 1, total)), range.isPresent());
  }

  /** The S3 request for the bytes to send: the whole object, or the range. */
  public void getRequest(@ExchangeProperty(DOWNLOAD) Download download, Message message) {
    message.removeHeaders("*");
    message.setBody(null);
    message.setHeader(S3_KEY, download.key());
    if (download.partial()) {
      message.setHeader(S3_OPERATION, "getObjectRange");
      message.setHeader(S3_RANGE_START, Long.toString(download.range().start()));
      message.setHeader(S3_RANGE_END, Long.toString(download.range().end()));
    } else {
      message.setHeader(S3_OPERATION, "getObject");
    }
  }

  /**
   * The response around the object stream. The body stays a stream over the SDK's: platform-http writes such a
   * body to the servlet output stream as it reads it (its binding treats responses as "chunked" by default and
   * then copies stream to stream in 8 KB steps; it buffers the whole body only when chunked is switched off), so an
   * MP3 never sits in memory. The binding drops Content-Length and Cache-Control headers (they are on its filter
   * list), so those go straight to the servlet response, which then sends Content-Length, not chunked encoding.
   * The exchange itself is needed for one thing: closing the stream once the response is over.
   */
  public void respond(@ExchangeProperty(DOWNLOAD) Download download, Exchange exchange) {
    Message message = exchange.getIn();
    message.removeHeaders("*");
    message.setHeader(Exchange.HTTP_RESPONSE_CODE, download.partial() ? 206 : 200);
    message.setHeader(Exchange.CONTENT_TYPE, download.format().contentType());
    message.setHeader("Content-Disposition", "attachment; filename=\"" + download.filename() + "\"");
    message.setHeader("Accept-Ranges", "bytes");
    message.setHeader("X-Content-Type-Options", "nosniff");
    if (download.partial()) {
      message.setHeader("Content-Range", download.range().contentRange());
    }
    if (message.getBody() instanceof ResponseInputStream<?> object) {
      S3ObjectStream stream = new S3ObjectStream(object, servedBytes);
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
    HttpServletResponse response = download.response();
    if (response != null) {
      response.setContentLengthLong(download.range().length());
      // The link is a bearer credential in the URL: no shared cache may keep the file under it.
      response.setHeader("Cache-Control", "private, no-store");
    } else {
      LOG.warn("No servlet response on the exchange; the download goes out without Content-Length");
    }
  }
}
