package com.mp3converter.gateway.uploads;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an upload request as {@link com.mp3converter.gateway.web.UploadRequestFilter} hands it over: the
 * servlet's own stream, counted, failing with {@link UploadTooLargeException} as soon as more than {@code maxBytes}
 * arrive (a chunked body declares no length), so the gateway never reads past the limit.
 */
public final class UploadBody extends FilterInputStream {
  private final long maxBytes;
  private final String contentType;
  private final String characterEncoding;
  private long read;

  public UploadBody(InputStream in, long maxBytes, String contentType, String characterEncoding) {
    super(in);
    this.maxBytes = maxBytes;
    this.contentType = contentType;
    this.characterEncoding = characterEncoding;
  }

  public long maxBytes() {
    return maxBytes;
  }

  public String contentType() {
    return contentType;
  }

  public String characterEncoding() {
    return characterEncoding;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  private void count(long n) throws UploadTooLargeException {
    read += n;
    if (read > maxBytes) {
      throw new UploadTooLargeException(maxBytes);
    }
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
