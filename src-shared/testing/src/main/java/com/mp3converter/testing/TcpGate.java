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

/**
 * A loopback port that stands for a server which is not there yet: closed (connections are refused) until
 * {@link #open}, then every connection is forwarded to the real server. A service pointed at it starts while its
 * dependency is "down", and sees it come back, without stopping the machine's shared server.
 */
public final class TcpGate implements AutoCloseable {
  private final int port;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
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
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // Closed, or the target refused this one connection: the client sees its connection drop.
      }
    }
  }

  private void pump(Socket from, Socket to) {
    daemon("tcp-gate-pump-" + port, () -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
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

  /** Refuses new connections and cuts the ones in progress. */
  @Override
  public synchronized void close() {
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
