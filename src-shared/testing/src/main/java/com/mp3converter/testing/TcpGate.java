package com.mp3converter.testing;

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
 * A loopback port that stands for a server which is not there yet: closed (connections are refused) until
 * {@link #open}, then every connection is forwarded to the real server. A service pointed at it starts while its
 * dependency is "down", and sees it come back, without stopping the machine's shared server.
 *
 * <p>It can also hold a large response half-way ({@link #holdingResponsesAfter}): once a connection has passed that
 * many bytes towards the client, nothing more goes through until {@link #release}. Everything before the hold
 * reaches the client in full, so a test can look at what a service did with the first part of a body while the
 * rest is still on its way, without timing anything.
 */
public final class TcpGate implements AutoCloseable {
  /** A hold the test never releases (it failed) ends by itself; then the response goes on. */
  private static final long LONGEST_HOLD_SECONDS = 120;

  private final int port;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final CountDownLatch holding = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile long holdAfter = Long.MAX_VALUE;
  private volatile ServerSocket server;

  private TcpGate(int port, InetSocketAddress target) {
    this.port = port;
    this.target = target;
  }

  /** A closed gate on a free loopback port in front of {@code host:targetPort}. */
  public static TcpGate closed(String host, int targetPort) {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new TcpGate(probe.getLocalPort(), new InetSocketAddress(host, targetPort));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The gate's address as a base URL: {@code http://127.0.0.1:port}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Responses (target to client) stop once {@code bytes} of one have passed, until {@link #release}. */
  public TcpGate holdingResponsesAfter(long bytes) {
    holdAfter = bytes;
    return this;
  }

  /** Whether a response is held, all of its first bytes up to the hold sent. */
  public boolean holding() {
    return holding.getCount() == 0;
  }

  /** Lets every held response, and all that follow, go on. */
  public void release() {
    released.countDown();
  }

  /** From now on connections to {@link #port} reach the target. */
  public synchronized void open() throws IOException {
    if (server != null) {
      return;
    }
    ServerSocket listening = new ServerSocket();
    listening.setReuseAddress(true);
    listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = listening;
    daemon("tcp-gate-" + port, () -> accept(listening));
  }

  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        Socket upstream = new Socket();
        upstream.connect(target, 5000);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, Long.MAX_VALUE);
        pump(upstream, client, holdAfter);
      } catch (IOException e) {
        // Closed, or the target refused this one connection: the client sees its connection drop.
      }
    }
  }

  /** Copies one direction of a connection, stopping once after {@code holdAfter} bytes until released. */
  private void pump(Socket from, Socket to, long holdAfter) {
    daemon("tcp-gate-pump-" + port, () -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        byte[] buffer = new byte[64 * 1024];
        boolean held = false;
        long passed = 0;
        for (int n = in.read(buffer); n >= 0; passed += n, n = in.read(buffer)) {
          int sent = 0;
          if (!held && passed + n >= holdAfter) {
            sent = (int) (holdAfter - passed);
            out.write(buffer, 0, sent);
            out.flush();
            held = true;
            holding.countDown();
            released.await(LONGEST_HOLD_SECONDS, TimeUnit.SECONDS);
          }
          out.write(buffer, sent, n - sent);
        }
      } catch (IOException | InterruptedException e) {
        // One side went away: both are closed below.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    });
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Refuses new connections and cuts the ones in progress (a held response is let go first). */
  @Override
  public synchronized void close() {
    release();
    if (server != null) {
      closeQuietly(server);
      server = null;
    }
    sockets.forEach(TcpGate::closeQuietly);
    sockets.clear();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // Already closed.
    }
  }
}
