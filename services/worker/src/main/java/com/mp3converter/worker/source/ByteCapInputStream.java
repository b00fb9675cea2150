package com.mp3converter.worker.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Counts a response body as it comes off the wire and stops it at a byte limit or a deadline, before anything
 * past the limit reaches the disk. Stopping aborts the connection (the {@code abort} callback) instead of
 * closing the stream, because closing an HTTP body stream drains what is left of it: an endless body would
 * never let go.
 *
 * <p>{@link Overflow#FAIL} is for the audio itself (one byte over the limit is an error); {@link
 * Overflow#TRUNCATE} is for error and redirect bodies, which we read only for diagnostics and cut short.
 * The deadline is checked around every read, so a slow drip overshoots it by at most one read timeout.
 */
final class ByteCapInputStream extends InputStream {
  enum Overflow {
    FAIL,
    TRUNCATE
  }

  private final InputStream in;
  private final long limit;
  private final Overflow overflow;
  private final long deadlineNanos;
  private final long budgetSeconds;
  private final LongSupplier nanoTime;
  private final Runnable abort;
  private long count;
  private boolean aborted;
  private boolean truncated;
  private boolean closed;

  ByteCapInputStream(
      InputStream in, long limit, Overflow overflow, long budgetNanos, LongSupplier nanoTime, Runnable abort) {
    this.in = Objects.requireNonNull(in);
    this.limit = limit;
    this.overflow = overflow;
    this.nanoTime = nanoTime;
    this.deadlineNanos = nanoTime.getAsLong() + budgetNanos;
    this.budgetSeconds = TimeUnit.NANOSECONDS.toSeconds(budgetNanos);
    this.abort = abort;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (truncated && !closed) {
      return -1;
    }
    if (closed || aborted) {
      throw new IOException("The source stream is closed.");
    }
    if (length == 0) {
      return 0;
    }
    checkDeadline();
    if (count >= limit && overflow == Overflow.TRUNCATE) {
      truncated = true;
      abort();
      return -1;
    }
    // In FAIL mode one byte past the limit is asked for, so an oversized body is noticed without reading on.
    long room = limit - count + (overflow == Overflow.FAIL ? 1 : 0);
    int n = in.read(buffer, offset, (int) Math.min(length, room));
    if (n < 0) {
      return -1;
    }
    count += n;
    checkDeadline();
    if (count > limit) {
      abort();
      throw new SourceTooLargeException(limit);
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return closed || aborted ? 0 : in.available();
  }

  /** Bytes read so far. */
  long count() {
    return count;
  }

  boolean aborted() {
    return aborted;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!aborted) {
      in.close();
    }
  }

  private void checkDeadline() throws SourceDeadlineException {
    if (nanoTime.getAsLong() - deadlineNanos > 0) {
      abort();
      throw new SourceDeadlineException(budgetSeconds);
    }
  }

  private void abort() {
    if (!aborted) {
      aborted = true;
      abort.run();
    }
  }
}
