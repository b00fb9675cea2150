package com.mp3converter.worker.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.LongSupplier;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Sits first in the source HTTP client's execution chain, before the connection is leased and made, and where
 * the response body leaves it. It starts the request's {@link ResponseDeadline} there, so one deadline covers
 * DNS, connect, the status line and headers, and the body; a request that fails after the deadline's alarm
 * aborted it fails as {@link SourceDeadlineException}. It refuses a 2xx body whose Content-Length is over the
 * cap before reading a byte, and hands out a 2xx body only as a {@link ByteCapInputStream}, so the cap and the
 * deadline hold while SourceDownload writes it to disk. Any other status decides the outcome by itself (a
 * redirect's Location, an error): its body is dropped unread, the connection closed at once, whatever Camel or
 * the route do with the response.
 */
public final class SourceResponseGuard implements ExecChainHandler, AutoCloseable {
  private final long maxBytes;
  private final Duration totalTimeout;
  private final LongSupplier nanoTime;
  /** Rings the deadlines' alarms; one thread, since an alarm only closes a socket. */
  private final ScheduledThreadPoolExecutor alarms;

  public SourceResponseGuard(long maxBytes, Duration totalTimeout) {
    this(maxBytes, totalTimeout, System::nanoTime);
  }

  SourceResponseGuard(long maxBytes, Duration totalTimeout, LongSupplier nanoTime) {
    this.maxBytes = maxBytes;
    this.totalTimeout = totalTimeout;
    this.nanoTime = nanoTime;
    this.alarms = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "source-deadline");
      thread.setDaemon(true);
      return thread;
    });
    this.alarms.setRemoveOnCancelPolicy(true);
  }

  @Override
  public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
      throws IOException, HttpException {
    ResponseDeadline deadline = new ResponseDeadline(totalTimeout, nanoTime);
    // Discarding the endpoint closes its socket: a blocked connect or read fails at once, and a connection that
    // is still being set up (DNS) can no longer be used for the request.
    deadline.arm(alarms, scope.execRuntime::discardEndpoint);
    ClassicHttpResponse response;
    try {
      response = chain.proceed(request, scope);
    } catch (IOException | HttpException | RuntimeException e) {
      deadline.disarm();
      if (deadline.passed()) {
        throw deadline.exceeded(e);
      }
      throw e;
    }
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      deadline.disarm();
      return response;
    }
    if (response.getCode() < 200 || response.getCode() >= 300) {
      deadline.disarm();
      scope.execRuntime.discardEndpoint();
      response.setEntity(null);
      return response;
    }
    if (entity.getContentLength() > maxBytes) {
      deadline.disarm();
      scope.execRuntime.discardEndpoint();
      throw new SourceTooLargeException(maxBytes);
    }
    response.setEntity(new CappedEntity(entity, maxBytes, deadline, scope.execRuntime));
    return response;
  }

  @Override
  public void close() {
    alarms.shutdownNow();
  }

  /** The response entity as the rest of the client (and Camel) sees it: one guarded stream over the original. */
  static final class CappedEntity extends HttpEntityWrapper {
    private final long limit;
    private final ResponseDeadline deadline;
    private final ExecRuntime runtime;
    private ByteCapInputStream content;

    CappedEntity(HttpEntity wrapped, long limit, ResponseDeadline deadline, ExecRuntime runtime) {
      super(wrapped);
      this.limit = limit;
      this.deadline = deadline;
      this.runtime = runtime;
    }

    @Override
    public synchronized InputStream getContent() throws IOException {
      // The client's entity hands out a new wrapper per call over the same socket stream: count them all as one.
      if (content == null) {
        content = new ByteCapInputStream(super.getContent(), limit, deadline, runtime::discardEndpoint);
      }
      return content;
    }

    @Override
    public boolean isRepeatable() {
      return false;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      try (InputStream in = getContent()) {
        in.transferTo(out);
      }
    }

    @Override
    public synchronized void close() throws IOException {
      // Through the guarded stream: a body closed before its end aborts the connection instead of being drained.
      getContent().close();
      if (!content.aborted()) {
        super.close();
      }
    }
  }
}
