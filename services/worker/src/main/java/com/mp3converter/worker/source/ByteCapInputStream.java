package com.mp3converter.worker.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Counts a response body as it comes off the wire and stops it at a byte limit or a deadline, before anything
 * past the limit reaches the disk: one byte over the limit is an error. Stopping aborts the connection (the
 * {@code abort} callback) instead of closing the stream, because closing an HTTP body stream drains what is left
 * of it: an endless body would never let go. For the same reason a body closed before its end (the reader gave up
 * half-way) is aborted, not closed; the source client never reuses a connection, so nothing is lost by it.
 * The request's deadline is checked around every read, and a read that fails because the deadline's alarm aborted
 * the connection is reported as the deadline, not as a network error.
 */
final class ByteCapInputStream extends InputStream {
  private final InputStream in;
  private final long limit;
  private final ResponseDeadline deadline;
  private final Runnable abort;
  private long count;
  private boolean ended;
  private boolean aborted;
  private boolean closed;

  ByteCapInputStream(InputStream in, long limit, ResponseDeadline deadline, Runnable abort) {
    this.in = Objects.requireNonNull(in);
    this.limit = limit;
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
    if (closed || aborted) {
      throw new IOException("The source stream is closed.");
    }
    if (length == 0) {
      return 0;
    }
    checkDeadline();
    // One byte past the limit is asked for, so an oversized body is noticed without reading on.
    long room = limit - count + 1;
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
      ended = true;
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
    if (ended) {
      in.close();
    } else {
      abort();
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
