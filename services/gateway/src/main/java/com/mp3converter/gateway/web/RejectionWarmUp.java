package com.mp3converter.gateway.web;

import com.mp3converter.gateway.WarmUpProperties;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Warms up the rejection of download links before the gateway is ready. Spring Boot publishes
 * {@code ReadinessState.ACCEPTING_TRAFFIC} only once every {@link ApplicationRunner} has returned, so for
 * {@code mp3.warm-up.duration} this sends {@code GET /downloads/{a forged token}} to the gateway's own port over
 * loopback, through the path a forged link takes (Tomcat, Spring's observation filter, {@link DownloadLinkFilter}'s
 * HMAC check and its problem body; such links never reach Spring MVC or Camel's route). Without it the first
 * seconds of a flood of forged links ran interpreted and in the compilers' queue, at a fraction of the warmed-up
 * rate.
 *
 * <p>The client is a plain socket speaking HTTP/1.1 with keep-alive, so its own code adds next to nothing to what
 * the JIT compilers have to do. A warm-up that fails (no answer, another status) is logged and never stops the
 * start: the gateway is just as correct cold.
 */
public final class RejectionWarmUp implements ApplicationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RejectionWarmUp.class);

  /** A well-formed HS256 token whose signature (32 zero bytes) no key makes: what a forger sends. */
  public static final String FORGED_TOKEN =
      Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8))
          + ".eyJzdWIiOiJ4In0." + "A".repeat(43);

  private final WarmUpProperties properties;
  private final ApplicationContext context;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile boolean finished;

  public RejectionWarmUp(WarmUpProperties properties, ApplicationContext context) {
    this.properties = properties;
    this.context = context;
  }

  /** Requests sent so far. */
  public long sent() {
    return sent.get();
  }

  /** Requests answered 403, as a forged link must be. */
  public long rejected() {
    return rejected.get();
  }

  /** Whether the warm-up has run to its end (or found nothing to do). */
  public boolean finished() {
    return finished;
  }

  @Override
  public void run(ApplicationArguments args) throws InterruptedException {
    try {
      int port = context instanceof WebServerApplicationContext web && web.getWebServer() != null
          ? web.getWebServer().getPort() : -1;
      if (!properties.enabled() || properties.duration().isZero() || port <= 0) {
        return;
      }
      long started = System.nanoTime();
      long end = started + properties.duration().toNanos();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < properties.connections(); i++) {
        Thread client = new Thread(() -> sendUntil(port, end), "warm-up-" + i);
        client.start();
        clients.add(client);
      }
      for (Thread client : clients) {
        client.join();
      }
      LOG.info("Warm-up: {} forged download links sent in {} ms, {} answered 403", sent.get(),
          (System.nanoTime() - started) / 1_000_000, rejected.get());
    } finally {
      finished = true;
    }
  }

  private void sendUntil(int port, long end) {
    byte[] request = ("GET /downloads/" + FORGED_TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nUser-Agent: mp3-gateway-warm-up\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    while (System.nanoTime() < end) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        boolean open = true;
        while (open && System.nanoTime() < end) {
          out.write(request);
          out.flush();
          sent.incrementAndGet();
          Answer answer = read(in);
          if (answer.status() == 403) {
            rejected.incrementAndGet();
          }
          open = answer.keepAlive();
        }
      } catch (IOException e) {
        LOG.warn("Warm-up request failed: {}", e.toString());
        return;
      }
    }
  }

  private record Answer(int status, boolean keepAlive) {}

  /** One HTTP/1.1 response, its body read to the end (Content-Length or chunked). */
  private static Answer read(InputStream in) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean keepAlive = true;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring("content-length:".length()).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        keepAlive = false;
      }
    }
    if (chunked) {
      for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
          size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
        skip(in, size);
        line(in);
      }
      while (!line(in).isEmpty()) {
        // trailers
      }
    } else if (length >= 0) {
      skip(in, length);
    } else {
      keepAlive = false;
    }
    return new Answer(status, keepAlive);
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    in.skipNBytes(bytes);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("response cut short");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
