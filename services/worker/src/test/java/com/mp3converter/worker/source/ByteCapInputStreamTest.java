package com.mp3converter.worker.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ByteCapInputStreamTest {
  private final AtomicInteger aborts = new AtomicInteger();
  private final AtomicLong now = new AtomicLong();
  private final TrackingStream source = new TrackingStream(new byte[1000]);

  @Test
  void passesABodyUpToTheLimitThrough() throws IOException {
    ByteCapInputStream in = capped(new TrackingStream(new byte[1000]), 1000);

    assertThat(in.readAllBytes()).hasSize(1000);
    assertThat(in.count()).isEqualTo(1000);
    assertThat(aborts).hasValue(0);
  }

  @Test
  void failsOneBytePastTheLimitAndAbortsTheConnection() {
    ByteCapInputStream in = capped(source, 999);

    assertThatThrownBy(() -> in.transferTo(new ByteArrayOutputStream()))
        .isInstanceOf(SourceTooLargeException.class)
        .hasMessageContaining("999");
    assertThat(aborts).hasValue(1);
    assertThat(in.count()).isEqualTo(1000);
  }

  @Test
  void neverAsksTheWireForMoreThanOneBytePastTheLimit() {
    TrackingStream endless = new TrackingStream(new byte[10_000_000]);
    ByteCapInputStream in = capped(endless, 100_000);

    assertThatThrownBy(() -> in.transferTo(new ByteArrayOutputStream())).isInstanceOf(SourceTooLargeException.class);
    assertThat(endless.consumed()).isEqualTo(100_001);
  }

  @Test
  void countsSingleByteReadsAndSkipsToo() throws IOException {
    ByteCapInputStream in = capped(source, 10);
    for (int i = 0; i < 5; i++) {
      assertThat(in.read()).isZero();
    }
    assertThat(in.skip(5)).isEqualTo(5);
    assertThat(in.count()).isEqualTo(10);
    assertThatThrownBy(in::read).isInstanceOf(SourceTooLargeException.class);
  }

  @Test
  void stopsASlowBodyAtTheDeadline() throws IOException {
    ByteCapInputStream in = new ByteCapInputStream(
        source, 1000, new ResponseDeadline(Duration.ofSeconds(60), now::get), aborts::incrementAndGet);
    byte[] buffer = new byte[10];
    assertThat(in.read(buffer)).isEqualTo(10);
    now.addAndGet(TimeUnit.SECONDS.toNanos(61));

    assertThatThrownBy(() -> in.read(buffer))
        .isInstanceOf(SourceDeadlineException.class)
        .hasMessageContaining("60 seconds");
    assertThat(aborts).hasValue(1);
  }

  @Test
  void aReadThatEndsPastTheDeadlineFailsToo() {
    InputStream slow = new InputStream() {
      @Override
      public int read() {
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        return 1;
      }
    };
    ByteCapInputStream in = new ByteCapInputStream(
        slow, 1000, new ResponseDeadline(Duration.ofSeconds(60), now::get), aborts::incrementAndGet);

    assertThatThrownBy(in::read).isInstanceOf(SourceDeadlineException.class);
  }

  /** The deadline's alarm closed the socket under a blocked read: the read reports the deadline, not the socket. */
  @Test
  void aReadFailingAfterTheDeadlineReportsTheDeadline() {
    InputStream abortedUnderneath = new InputStream() {
      @Override
      public int read() throws IOException {
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        throw new SocketException("Socket closed");
      }
    };
    ByteCapInputStream in = new ByteCapInputStream(abortedUnderneath, 1000,
        new ResponseDeadline(Duration.ofSeconds(60), now::get), aborts::incrementAndGet);

    assertThatThrownBy(in::read)
        .isInstanceOf(SourceDeadlineException.class)
        .hasMessageContaining("60 seconds")
        .hasCauseInstanceOf(SocketException.class);
    assertThat(aborts).hasValue(1);
  }

  @Test
  void aReadFailingBeforeTheDeadlineIsANetworkError() {
    InputStream reset = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new SocketException("Connection reset");
      }
    };
    ByteCapInputStream in = capped(reset, 1000);

    assertThatThrownBy(in::read).isExactlyInstanceOf(SocketException.class);
  }

  @Test
  void closingAnAbortedStreamDoesNotTouchTheConnectionStream() throws IOException {
    ByteCapInputStream in = capped(source, 10);
    assertThatThrownBy(in::readAllBytes).isInstanceOf(SourceTooLargeException.class);

    in.close();

    assertThat(source.closed.get()).isFalse();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
  }

  @Test
  void closingABodyReadToItsEndClosesTheConnectionStream() throws IOException {
    ByteCapInputStream in = capped(source, 10_000);
    in.readAllBytes();

    in.close();

    assertThat(source.closed.get()).isTrue();
    assertThat(aborts).hasValue(0);
  }

  /** Closing an HTTP body stream drains the rest of it: one closed half-way is aborted instead. */
  @Test
  void closingABodyBeforeItsEndAbortsTheConnectionInsteadOfDrainingIt() throws IOException {
    ByteCapInputStream in = capped(source, 10_000);
    assertThat(in.readNBytes(10)).hasSize(10);

    in.close();

    assertThat(aborts).hasValue(1);
    assertThat(source.closed.get()).isFalse();
    assertThat(source.consumed()).isEqualTo(10);
  }

  private ByteCapInputStream capped(InputStream in, long limit) {
    return new ByteCapInputStream(
        in, limit, new ResponseDeadline(Duration.ofMinutes(10), now::get), aborts::incrementAndGet);
  }

  private static final class TrackingStream extends ByteArrayInputStream {
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int length;

    TrackingStream(byte[] bytes) {
      super(bytes);
      this.length = bytes.length;
    }

    int consumed() {
      return length - available();
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
