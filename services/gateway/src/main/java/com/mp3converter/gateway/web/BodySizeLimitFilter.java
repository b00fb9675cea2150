package com.mp3converter.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps how much of a request body the gateway ever reads. Camel's platform-http binding on Spring Boot copies
 * the whole request body into memory when it creates the message, before any route step runs, so a size check
 * inside a route would come too late. This filter hands Camel a stream that ends after {@code maxBytes + 1}
 * bytes: memory stays bounded whatever the client sends (declared length or chunked), and the shared {@link com.mp3converter.shared.json.RequestBodies}
 * still sees that the body was too large and answers 413.
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {
  private final int maxBytes;

  public BodySizeLimitFilter(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Uploads have their own, larger limit and never reach Camel's binding ({@link UploadRequestFilter}). */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return UploadRequestFilter.isUpload(request);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(new CappedRequest(request, maxBytes + 1L), response);
  }

  private static final class CappedRequest extends HttpServletRequestWrapper {
    private final long cap;
    private ServletInputStream capped;

    CappedRequest(HttpServletRequest request, long cap) {
      super(request);
      this.cap = cap;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (capped == null) {
        capped = new CappedInputStream(super.getInputStream(), cap);
      }
      return capped;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class CappedInputStream extends ServletInputStream {
    private final ServletInputStream delegate;
    private long remaining;

    CappedInputStream(ServletInputStream delegate, long cap) {
      this.delegate = delegate;
      this.remaining = cap;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = delegate.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = delegate.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public boolean isFinished() {
      return remaining <= 0 || delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
