package com.mp3converter.worker.routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback relay in front of a server (a source host, S3Proxy) that holds a large response half-way: once a
 * connection has passed {@code holdAfter} bytes towards the client, nothing more goes through until
 * {@link #release}. Everything before the hold reaches the client in full, so a test can look at what the worker
 * wrote to disk while a large body is still on its way, without timing anything. Requests, and responses smaller
 * than {@code holdAfter}, pass untouched.
 */
final class HoldingRelay implements AutoCloseable {
  /** A hold the test never releases (it failed) ends by itself; then the response goes on. */
  private static final long LONGEST_HOLD_SECONDS = 120;

  private final ServerSocket listening;
  private final InetSocketAddress target;
  private final long holdAfter;
  private final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  HoldingRelay(int targetPort, long holdAfter) throws IOException {
    this.listening = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.holdAfter = holdAfter;
    daemon("holding-relay-" + port(), this::accept);
  }

  int port() {
    return listening.getLocalPort();
  }

  /** The relay's address as a base URL: {@code http://127.0.0.1:port}. */
  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** Whether a response is held, all of its first {@code holdAfter} bytes sent. */
  boolean holding() {
    return holding.getCount() == 0;
  }

  /** Lets every held response, and all that follow, go on. */
  void release() {
    released.countDown();
  }

  private void accept() {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        Socket upstream = new Socket();
        upstream.connect(target, 5000);
        sockets.add(client);
        sockets.add(upstream);
        daemon("holding-relay-request", () -> pump(client, upstream, false));
        daemon("holding-relay-response", () -> pump(upstream, client, true));
      } catch (IOException closed) {
        return;
      }
    }
  }

  /** Copies one direction of a connection; the response direction ({@code hold}) stops once, at holdAfter. */
  private void pump(Socket from, Socket to, boolean hold) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      byte[] buffer = new byte[64 * 1024];
      boolean held = !hold;
      long passed = 0;
      for (int n; (n = in.read(buffer)) >= 0; passed += n) {
        int sent = 0;
        if (!held && passed + n >= holdAfter) {
          sent = (int) (holdAfter - passed);
          out.write(buffer, 0, sent);
          held = true;
          holding.countDown();
          released.await(LONGEST_HOLD_SECONDS, TimeUnit.SECONDS);
        }
        out.write(buffer, sent, n - sent);
      }
    } catch (IOException | InterruptedException gone) {
      // One side went away: both are closed below.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    release();
    closeQuietly(listening);
    sockets.forEach(HoldingRelay::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // Already closed.
    }
  }
}
