package com.mp3converter.gateway.downloads;

import io.micrometer.core.instrument.Counter;
import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * An object's body on its way to the client. Closing the SDK's stream before its end makes the HTTP client read
 * the rest of the object from S3 so it can reuse the connection: every client that hangs up early would cost a
 * full download from the store. Closed before its end, this stream aborts the S3 request instead (the connection
 * is dropped); read to the end, it closes normally and the connection goes back to the pool. What is read is
 * what goes to the client: the bytes are counted on the way ({@code mp3_downloads_served_bytes_total}).
 */
final class S3ObjectStream extends FilterInputStream {
  private final ResponseInputStream<?> object;
  private final Counter served;
  private boolean ended;
  private boolean closed;

  S3ObjectStream(ResponseInputStream<?> object, Counter served) {
    super(object);
    this.object = object;
    this.served = served;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    ended |= b < 0;
    if (b >= 0) {
      served.increment();
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    ended |= n < 0;
    if (n > 0) {
      served.increment(n);
    }
    return n;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!ended) {
      object.abort();
    }
    super.close();
  }
}
