package com.mp3converter.worker.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.apache.hc.core5.http.io.HttpMessageParserFactory;
import org.apache.hc.core5.http.io.SessionInputBuffer;

/**
 * Bounds what a source may send before its body. The HTTP client's defaults accept any number and length of
 * header lines and keep them all in memory: a source streaming header lines grew the JVM by hundreds of MB.
 * Here every source connection may send at most {@code maxBytes} of response head in all (status lines and
 * header lines, interim 1xx responses included, so a stream of small "102 Processing" answers is bounded too),
 * and each response at most {@code maxLines} header lines. Past either the connection is dropped and the download
 * fails as {@link SourceHeadersTooLargeException} (source_unreachable, not retried). Chunk-size lines and
 * trailers inside a body are held to the same line length and count by the client's own checks.
 */
public final class ResponseHeadLimits implements HttpMessageParserFactory<ClassicHttpResponse> {
  private final int maxBytes;
  private final int maxLines;

  public ResponseHeadLimits(int maxBytes, int maxLines) {
    if (maxBytes <= 0 || maxLines <= 0) {
      throw new IllegalArgumentException("The header limits must be positive");
    }
    this.maxBytes = maxBytes;
    this.maxLines = maxLines;
  }

  /** Connections of the source client (the pooling connection manager's connection factory). */
  public ManagedHttpClientConnectionFactory connectionFactory() {
    return ManagedHttpClientConnectionFactory.builder().http1Config(http1Config()).responseParserFactory(this).build();
  }

  /** The client's own per-message checks: line length, and header count (it refuses at the count, hence + 1). */
  Http1Config http1Config() {
    return Http1Config.custom().setMaxLineLength(maxBytes).setMaxHeaderCount(maxLines + 1).build();
  }

  /**
   * Called once per connection: the byte budget is the connection's, across every response head it reads. The
   * connection asks without its configuration (and would get the default parser's: no limit on the header
   * count), so the parser always gets ours.
   */
  @Override
  public HttpMessageParser<ClassicHttpResponse> create(Http1Config ignored) {
    HttpMessageParser<ClassicHttpResponse> parser = DefaultHttpResponseParserFactory.INSTANCE.create(http1Config());
    HeadBudget budget = new HeadBudget(maxBytes);
    return (SessionInputBuffer buffer, InputStream socket) -> {
      try {
        return parser.parse(buffer, budget.over(socket));
      } catch (MessageConstraintException tooManyOrTooLong) {
        throw new SourceHeadersTooLargeException(maxBytes, maxLines, tooManyOrTooLong);
      }
    };
  }

  /**
   * Counts the bytes the parser takes from the socket. A read never asks for more than what is left, so the
   * buffer cannot pull in more than the budget, and a head that needs more fails instead of waiting for it.
   */
  private static final class HeadBudget {
    private long left;

    HeadBudget(long bytes) {
      this.left = bytes;
    }

    InputStream over(InputStream socket) {
      return new FilterInputStream(socket) {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          int n = read(one, 0, 1);
          return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
          if (length == 0) {
            return 0;
          }
          if (left <= 0) {
            throw new MessageConstraintException("The response head is over its byte limit");
          }
          int n = in.read(bytes, offset, (int) Math.min(length, left));
          if (n > 0) {
            left -= n;
          }
          return n;
        }
      };
    }
  }
}
