package com.mp3converter.local;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP server (the JDK's) bound to the loopback address only, so nothing off this machine reaches it. Its
 * threads are daemons: an open server never keeps a JVM from exiting.
 */
public final class LoopbackHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;

  private LoopbackHttpServer(String name, int port, String path, HttpHandler handler) throws IOException {
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext(path, handler);
    server.start();
  }

  /**
   * Serves {@code handler} under {@code path} on {@code port} (0 for any free one); other paths answer 404.
   *
   * @param name the name of the server's threads
   */
  public static LoopbackHttpServer start(String name, int port, String path, HttpHandler handler)
      throws IOException {
    return new LoopbackHttpServer(name, port, path, handler);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdown();
  }
}
