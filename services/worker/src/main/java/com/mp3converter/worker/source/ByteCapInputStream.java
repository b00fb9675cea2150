package com.mp3converter.worker.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Counts a response body as it comes off the wire and stops it at a byte limit or a deadline, before anything
 * past the limit reaches the disk. Stopping aborts the connection (the {@code abort} callback) instead of
 * closing the stream, because closing an HTTP body stream drains what is left of it: an endless body would
 * never let go.
 *
 * <p>{@link Overflow#FAIL} is for the audio itself (one byte over the limit is an error); {@link
 * Overflow#TRUNCATE} is for error and redirect bodies, which we read only for diagnostics and cut short.
 * The request's deadline is checked around every read, and a read that fails because the deadline's alarm
 * aborted the connection is reported as the deadline, not as a network error.
 */
final class ByteCapInputStream extends InputStream {
  enum Overflow {
    FAIL,
    TRUNCATE
  }

  private final InputStream in;
  private final long limit;
  private final Overflow overflow;
  private final ResponseDeadline deadline;
  private final Runnable abort;
  private long count;
  private boolean aborted;
  private boolean truncated;
  private boolean closed;

  ByteCapInputStream(InputStream in, long limit, Overflow overflow, ResponseDeadline deadline, Runnable abort) {
    this.in = Objects.requireNonNull(in);
    this.limit = limit;
    this.overflow = overflow;
    this.deadline = deadline;
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
    int n;
    try {
      n = in.read(buffer, offset, (int) Math.min(length, room));
    } catch (IOException e) {
      if (deadline.passed()) {
        abort();
        throw deadline.exceeded(e);
      }
      throw e;
    }
    if (n < 0) {
      deadline.disarm();
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
    deadline.disarm();
    if (!aborted) {
      in.close();
    }
  }

  private void checkDeadline() throws SourceDeadlineException {
    if (deadline.passed()) {
      abort();
      throw deadline.exceeded(null);
    }
  }

  private void abort() {
    deadline.disarm();
    if (!aborted) {
      aborted = true;
      abort.run();
    }
  }
}
