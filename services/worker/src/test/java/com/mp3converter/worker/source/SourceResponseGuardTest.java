package com.mp3converter.worker.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceResponseGuardTest {
  private final ExecRuntime runtime = mock(ExecRuntime.class);
  private final BasicClassicHttpRequest request = new BasicClassicHttpRequest("GET", "http://source.example/a.wav");
  private final ExecChain.Scope scope = new ExecChain.Scope(
      "ex-1", new HttpRoute(new HttpHost("http", "source.example", 80)), request, runtime, HttpClientContext.create());
  private final SourceResponseGuard guard = new SourceResponseGuard(1000, Duration.ofMinutes(1));

  @AfterEach
  void stopTheAlarms() {
    guard.close();
  }

  /**
   * A server that drips its status line keeps every read short, so no read timeout ends the request: the
   * deadline's alarm aborts the connection under the blocked request, which then fails as the deadline.
   */
  @Test
  void abortsARequestStillWaitingForItsHeadersAtTheDeadline() throws Exception {
    CountDownLatch discarded = new CountDownLatch(1);
    doAnswer(invocation -> {
      discarded.countDown();
      return null;
    }).when(runtime).discardEndpoint();
    ExecChain dripping = (req, s) -> {
      try {
        if (!discarded.await(30, TimeUnit.SECONDS)) {
          return response(200, new CountingBody(10), 10);
        }
      } catch (InterruptedException e) {
        throw new InterruptedIOException();
      }
      throw new SocketException("Socket closed");
    };
    try (SourceResponseGuard quick = new SourceResponseGuard(1000, Duration.ofMillis(300))) {
      long started = System.nanoTime();

      assertThatThrownBy(() -> quick.execute(request, scope, dripping))
          .isInstanceOf(SourceDeadlineException.class)
          .hasCauseInstanceOf(SocketException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aRequestThatFailsBeforeTheDeadlineKeepsItsOwnError() {
    ExecChain refused = (req, s) -> {
      throw new ConnectException("Connection refused");
    };

    assertThatThrownBy(() -> guard.execute(request, scope, refused)).isExactlyInstanceOf(ConnectException.class);
    verify(runtime, never()).discardEndpoint();
  }

  @Test
  void refusesAnAnnouncedOversizedBodyBeforeReadingIt() {
    CountingBody body = new CountingBody(5000);
    ExecChain chain = (req, s) -> response(200, body, 5000);

    assertThatThrownBy(() -> guard.execute(request, scope, chain)).isInstanceOf(SourceTooLargeException.class);
    assertThat(body.reads).isZero();
    verify(runtime).discardEndpoint();
  }

  @Test
  void capsAnUnannouncedBodyWhileItIsRead() throws Exception {
    ClassicHttpResponse response = guard.execute(request, scope, (req, s) -> response(200, new CountingBody(5000), -1));

    try (InputStream in = response.getEntity().getContent()) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(SourceTooLargeException.class);
    }
    verify(runtime).discardEndpoint();
  }

  @Test
  void everyCallForTheContentCountsAgainstTheSameCap() throws Exception {
    ClassicHttpResponse response = guard.execute(request, scope, (req, s) -> response(200, new CountingBody(1500), -1));

    assertThat(response.getEntity().getContent().readNBytes(800)).hasSize(800);
    assertThatThrownBy(() -> response.getEntity().getContent().readAllBytes())
        .isInstanceOf(SourceTooLargeException.class);
  }

  @Test
  void passesABodyWithinTheCap() throws Exception {
    ClassicHttpResponse response = guard.execute(request, scope, (req, s) -> response(200, new CountingBody(1000), 1000));

    assertThat(response.getEntity().getContent().readAllBytes()).hasSize(1000);
    response.close();
    verify(runtime, never()).discardEndpoint();
  }

  /** The status decides by itself (a redirect's Location, an error): the body is never read, nor drained. */
  @ParameterizedTest
  @ValueSource(ints = {301, 302, 404, 503})
  void dropsTheBodyOfAnyOtherStatusUnread(int status) throws Exception {
    CountingBody body = new CountingBody(5000);

    ClassicHttpResponse response = guard.execute(request, scope, (req, s) -> response(status, body, -1));

    assertThat(response.getCode()).isEqualTo(status);
    assertThat(response.getEntity()).isNull();
    assertThat(body.reads).isZero();
    verify(runtime).discardEndpoint();
  }

  @Test
  void aBodyClosedUnreadIsAbortedNotDrained() throws Exception {
    CountingBody body = new CountingBody(1000);
    ClassicHttpResponse response = guard.execute(request, scope, (req, s) -> response(200, body, 1000));

    response.close();

    assertThat(body.reads).isZero();
    verify(runtime).discardEndpoint();
  }

  private static ClassicHttpResponse response(int status, InputStream body, long length) {
    BasicClassicHttpResponse response = new BasicClassicHttpResponse(status);
    response.setEntity(new InputStreamEntity(body, length, ContentType.APPLICATION_OCTET_STREAM));
    return response;
  }

  /** A body of zeros that counts how often it is read. */
  private static final class CountingBody extends ByteArrayInputStream {
    private int reads;

    CountingBody(long size) {
      super(new byte[(int) size]);
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      reads++;
      return super.read(b, off, len);
    }

    @Override
    public void close() throws IOException {
      // Like a socket stream that must not be drained after an abort: nothing to do here.
    }
  }
}
