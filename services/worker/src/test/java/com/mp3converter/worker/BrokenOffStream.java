package com.mp3converter.worker;

import java.io.IOException;
import java.io.InputStream;

/** A body that breaks off: some bytes, then the given failure (a connection reset half-way), never an end. */
public final class BrokenOffStream extends InputStream {
  private final int bytes;
  private final IOException failure;
  private int sent;

  public BrokenOffStream(int bytes, IOException failure) {
    this.bytes = bytes;
    this.failure = failure;
  }

  @Override
  public int read() throws IOException {
    if (sent < bytes) {
      sent++;
      return 'x';
    }
    throw failure;
  }
}
