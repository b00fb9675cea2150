package com.mp3converter.launcher;

import java.io.DataInputStream;
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
 * The Internet, as far as the hostile-input suite's worker can tell: a SOCKS5 proxy on loopback that every source
 * connection of that worker goes through (see HostileNetwork). It lets sources look public to the worker's guard
 * while no byte ever leaves the machine:
 *
 * <ul>
 *   <li>the one made-up public address {@link #PUBLIC_HOST} on port 80 is the test's file server on loopback;
 *   <li>loopback addresses are connected as asked, so a guard that let one through would really reach the
 *       canary and the test would see it;
 *   <li>anything else is refused and recorded in {@link #refused()} (the suite asserts it stays empty).
 * </ul>
 *
 * The worker resolves and checks every address itself and hands the proxy an address, never a name (a name is
 * refused here too).
 */
final class SocksDouble implements AutoCloseable {
  /** Public by every rule of the guard; never contacted, the proxy answers for it. */
  static final String PUBLIC_HOST = "93.184.216.34";

  private final ServerSocket server;
  private final InetAddress publicAddress;
  private final int filesPort;
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final List<String> connected = new CopyOnWriteArrayList<>();

  SocksDouble(int filesPort) throws IOException {
    this.filesPort = filesPort;
    this.publicAddress = InetAddress.getByName(PUBLIC_HOST);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "socks-double");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Destinations the proxy would not connect (anything but the public double and loopback). */
  List<String> refused() {
    return List.copyOf(refused);
  }

  /** Destinations connected, as address:port asked for. */
  List<String> connected() {
    return List.copyOf(connected);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread handler = new Thread(() -> serve(client), "socks-double-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (in.readUnsignedByte() != 5) {
        return;
      }
      in.readFully(new byte[in.readUnsignedByte()]);
      out.write(new byte[] {5, 0});
      byte[] request = new byte[4];
      in.readFully(request);
      InetAddress target;
      switch (request[3]) {
        case 1 -> target = InetAddress.getByAddress(readBytes(in, 4));
        case 4 -> target = InetAddress.getByAddress(readBytes(in, 16));
        default -> {
          // A name: the worker would have let the proxy resolve it, past its own guard.
          refused.add("name " + new String(readBytes(in, in.readUnsignedByte())));
          reply(out, 2);
          return;
        }
      }
      int port = in.readUnsignedShort();
      String asked = target.getHostAddress() + ":" + port;
      InetSocketAddress destination = route(target, port);
      if (request[1] != 1 || destination == null) {
        refused.add(asked);
        reply(out, 2);
        return;
      }
      try (Socket upstream = new Socket()) {
        try {
          upstream.connect(destination, 2000);
        } catch (IOException unreachable) {
          reply(out, 5);
          return;
        }
        connected.add(asked);
        reply(out, 0);
        Thread back = new Thread(() -> pump(upstream, client), "socks-double-pump");
        back.setDaemon(true);
        back.start();
        pump(client, upstream);
        back.join(5000);
      }
    } catch (IOException | InterruptedException ended) {
      // the worker or the server hung up; nothing to clean beyond the sockets
    }
  }

  private InetSocketAddress route(InetAddress target, int port) {
    if (target.equals(publicAddress) && port == 80) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), filesPort);
    }
    if (target.isLoopbackAddress()) {
      return new InetSocketAddress(target, port);
    }
    return null;
  }

  private static byte[] readBytes(DataInputStream in, int n) throws IOException {
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return bytes;
  }

  private static void reply(OutputStream out, int status) throws IOException {
    out.write(new byte[] {5, (byte) status, 0, 1, 0, 0, 0, 0, 0, 0});
    out.flush();
  }

  /** Copies one direction until it ends, then half-closes the other side so the peer sees the end too. */
  private static void pump(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      in.transferTo(out);
      to.shutdownOutput();
    } catch (IOException ended) {
      try {
        to.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
