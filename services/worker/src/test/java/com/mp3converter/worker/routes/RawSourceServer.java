package com.mp3converter.worker.routes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A source server that misbehaves below HTTP: raw bytes on a loopback socket, one script per path (header
 * floods, status lines and headers dripped a byte at a time). Every script is bounded in bytes and time and
 * ends by itself. The server records, per path, what it sent and how long the client stayed: the client hanging
 * up is seen at once by a reader on the socket, not at the next write.
 */
final class RawSourceServer implements AutoCloseable {
  /**
   * What one connection saw: bytes sent, time from the request until the client left or the script ended by
   * itself, and whether the client left first.
   */
  record Visit(long bytesSent, Duration held, boolean clientLeft) {}

  /** Writes a response; {@code hungUp} is counted down as soon as the client closes the connection. */
  @FunctionalInterface
  interface Script {
    void play(OutputStream out, CountDownLatch hungUp) throws IOException, InterruptedException;
  }

  private final ServerSocket socket;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "raw-source-server");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Map<String, Visit> visits = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();

  RawSourceServer() throws IOException {
    socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  int port() {
    return socket.getLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + "/" + path;
  }

  RawSourceServer on(String path, Script script) {
    scripts.put("/" + path, script);
    return this;
  }

  /** How many connections asked for {@code path}. */
  int connections(String path) {
    AtomicInteger count = connections.get("/" + path);
    return count == null ? 0 : count.get();
  }

  /** The last connection that asked for {@code path}, once it has ended. */
  Visit visit(String path) {
    return visits.get("/" + path);
  }

  // --- scripts ----------------------------------------------------------------------------------------------

  /** {@code prefix} at once, then header lines of {@code lineBytes} each until {@code maxBytes} or the client leaves; then the end of the headers. */
  static Script headerFlood(String prefix, int lineBytes, long maxBytes) {
    return (out, hungUp) -> {
      out.write(ascii(prefix));
      byte[] value = "v".repeat(lineBytes).getBytes(StandardCharsets.US_ASCII);
      long sent = 0;
      for (long i = 0; sent < maxBytes && hungUp.getCount() > 0; i++) {
        byte[] name = ascii("X-Flood-" + i + ": ");
        out.write(name);
        out.write(value);
        out.write(ascii("\r\n"));
        sent += name.length + value.length + 2;
      }
      out.write(ascii("\r\n"));
    };
  }

  /** One header line that never ends, up to {@code maxBytes}; then it ends, and so do the headers. */
  static Script endlessHeaderLine(long maxBytes) {
    return (out, hungUp) -> {
      out.write(ascii("HTTP/1.1 200 OK\r\nX-Endless: "));
      byte[] chunk = "w".repeat(8192).getBytes(StandardCharsets.US_ASCII);
      for (long sent = 0; sent < maxBytes && hungUp.getCount() > 0; sent += chunk.length) {
        out.write(chunk);
      }
      out.write(ascii("\r\n\r\n"));
    };
  }

  /** {@code count} short header lines, then a body that is real audio. */
  static Script manyHeaders(int count, byte[] body) {
    return (out, hungUp) -> {
      StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n");
      for (int i = 1; i < count; i++) {
        head.append("X-Header-").append(i).append(": ").append(i).append("\r\n");
      }
      out.write(ascii(head.append("\r\n").toString()));
      out.write(body);
    };
  }

  /** Interim responses ("102 Processing"), small each, one after another up to {@code maxBytes}. */
  static Script informationalFlood(long maxBytes) {
    return (out, hungUp) -> {
      byte[] interim = ascii("HTTP/1.1 102 Processing\r\nX-Padding: " + "p".repeat(200) + "\r\n\r\n");
      for (long sent = 0; sent < maxBytes && hungUp.getCount() > 0; sent += interim.length) {
        out.write(interim);
      }
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    };
  }

  /**
   * {@code prefix} at once, then {@code dripped} one byte every {@code period} (well inside any read timeout),
   * for at most {@code limit}; then the server gives up and closes.
   */
  static Script drip(String prefix, String dripped, Duration period, Duration limit) {
    return (out, hungUp) -> {
      out.write(ascii(prefix));
      out.flush();
      long end = System.nanoTime() + limit.toNanos();
      byte[] bytes = ascii(dripped);
      for (int i = 0; System.nanoTime() < end; i = (i + 1) % bytes.length) {
        if (hungUp.await(period.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        out.write(bytes[i]);
        out.flush();
      }
    };
  }

  // --- the server -------------------------------------------------------------------------------------------

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        threads.execute(() -> serve(connection));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      InputStream in = connection.getInputStream();
      String path = requestPath(in);
      connections.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      Script script = scripts.get(path);
      if (script == null) {
        connection.getOutputStream().write(ascii("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
        return;
      }
      CountDownLatch hungUp = new CountDownLatch(1);
      threads.execute(() -> awaitHangUp(in, hungUp));
      CountingStream out = new CountingStream(connection.getOutputStream());
      long started = System.nanoTime();
      boolean clientLeft;
      try {
        script.play(out, hungUp);
        out.flush();
        // The scripts stop early when the client leaves; otherwise they ran to their own end.
        clientLeft = hungUp.getCount() == 0;
      } catch (IOException clientGone) {
        clientLeft = true;
      }
      visits.put(path, new Visit(out.count.get(), Duration.ofNanos(System.nanoTime() - started), clientLeft));
      if (!clientLeft) {
        // The end of the response; then a bounded wait for the client to close, so it reads all of it.
        connection.shutdownOutput();
        hungUp.await(30, TimeUnit.SECONDS);
      }
    } catch (IOException | InterruptedException e) {
      // The connection is gone; nothing to record.
    }
  }

  private static void awaitHangUp(InputStream in, CountDownLatch hungUp) {
    try {
      while (in.read() >= 0) {
        // The client sends nothing after its request; anything else is ignored.
      }
    } catch (IOException reset) {
      // Reset by the client: gone as well.
    }
    hungUp.countDown();
  }

  /** Reads the request head and returns its path. */
  private static String requestPath(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = ascii("\r\n\r\n");
    while (matched < end.length && head.size() < 16 * 1024) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
    String requestLine = head.toString(StandardCharsets.US_ASCII).split("\r\n", 2)[0];
    String[] parts = requestLine.split(" ");
    return parts.length > 1 ? parts[1] : "";
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    threads.shutdownNow();
  }

  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    private final AtomicLong count = new AtomicLong();

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count.addAndGet(len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
