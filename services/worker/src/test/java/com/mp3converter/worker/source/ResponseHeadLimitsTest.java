package com.mp3converter.worker.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.messages.FailureReason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.io.HttpMessageParser;
import org.junit.jupiter.api.Test;

/** The response-head limits at their edges, on the client's own parser and session buffer (no network). */
class ResponseHeadLimitsTest {
  private static final int MAX_BYTES = 4096;
  private static final int MAX_LINES = 10;
  private final ResponseHeadLimits limits = new ResponseHeadLimits(MAX_BYTES, MAX_LINES);

  @Test
  void aHeadOfExactlyTheByteLimitIsRead() throws Exception {
    String head = headOfLength(MAX_BYTES);

    ClassicHttpResponse response = connection(head + "body").parse();

    assertThat(response.getCode()).isEqualTo(200);
    assertThat(response.getFirstHeader("X-Fill").getValue()).isNotEmpty();
  }

  @Test
  void aHeadOneByteOverTheLimitIsRefused() {
    Connection connection = connection(headOfLength(MAX_BYTES + 1));

    assertThatThrownBy(connection::parse)
        .isInstanceOfSatisfying(SourceHeadersTooLargeException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.SOURCE_UNREACHABLE));
    assertThat(connection.consumed()).isEqualTo(MAX_BYTES);
  }

  @Test
  void theLineLimitCountsHeaderLinesNotTheStatusLine() throws Exception {
    assertThat(connection(headWithLines(MAX_LINES)).parse().getHeaders()).hasSize(MAX_LINES);
    assertThatThrownBy(() -> connection(headWithLines(MAX_LINES + 1)).parse())
        .isInstanceOf(SourceHeadersTooLargeException.class);
  }

  /** Interim responses are small each, but they come out of the same budget as the final head. */
  @Test
  void interimResponsesShareTheConnectionsBudget() throws Exception {
    String interim = "HTTP/1.1 102 Processing\r\n\r\n";
    int fitting = MAX_BYTES / interim.length();
    Connection connection = connection(interim.repeat(fitting + 1));

    for (int i = 0; i < fitting; i++) {
      assertThat(connection.parse().getCode()).isEqualTo(102);
    }
    assertThatThrownBy(connection::parse).isInstanceOf(SourceHeadersTooLargeException.class);
  }

  private static String headOfLength(int length) {
    String start = "HTTP/1.1 200 OK\r\nX-Fill: ";
    String end = "\r\n\r\n";
    return start + "f".repeat(length - start.length() - end.length()) + end;
  }

  private static String headWithLines(int lines) {
    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < lines; i++) {
      head.append("X-Line-").append(i).append(": ").append(i).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  private Connection connection(String bytes) {
    return new Connection(limits, bytes.getBytes(StandardCharsets.US_ASCII));
  }

  /** One connection's parser, session buffer and socket stream, as the client's connection holds them. */
  private static final class Connection {
    private final HttpMessageParser<ClassicHttpResponse> parser;
    private final SessionInputBufferImpl buffer;
    private final ByteArrayInputStream socket;
    private final int length;

    Connection(ResponseHeadLimits limits, byte[] bytes) {
      Http1Config config = limits.http1Config();
      // As the client's connection asks: without its configuration.
      this.parser = limits.create();
      this.buffer = new SessionInputBufferImpl(config.getBufferSize(), MAX_BYTES);
      this.socket = new ByteArrayInputStream(bytes);
      this.length = bytes.length;
    }

    ClassicHttpResponse parse() throws Exception {
      return parser.parse(buffer, socket);
    }

    int consumed() {
      return length - socket.available();
    }
  }
}
