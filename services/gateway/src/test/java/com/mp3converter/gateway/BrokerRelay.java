package com.mp3converter.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between the gateway and the real RabbitMQ that can hold back what the broker sends: while held, the
 * gateway's publishes still reach the broker (which takes them), but their confirms do not come back. That is the
 * lost confirm as the gateway sees it, with the broker really holding the message.
 */
final class BrokerRelay implements AutoCloseable {
  private final ServerSocket server;
  private final String brokerHost;
  private final int brokerPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private boolean held;

  BrokerRelay(String brokerHost, int brokerPort) throws IOException {
    this.brokerHost = brokerHost;
    this.brokerPort = brokerPort;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "broker-relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** From now on, nothing the broker sends reaches the gateway (it waits in the relay). */
  void holdBrokerReplies() {
    synchronized (gate) {
      held = true;
    }
  }

  /** Lets what the broker sent, and everything after it, through again. */
  void release() {
    synchronized (gate) {
      held = false;
      gate.notifyAll();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket broker = new Socket(brokerHost, brokerPort);
        sockets.add(client);
        sockets.add(broker);
        pump(client, broker, false);
        pump(broker, client, true);
      } catch (IOException closed) {
        return;
      }
    }
  }

  /** Copies one direction of one connection; when either side ends, both sockets of the pair are closed. */
  private void pump(Socket from, Socket to, boolean fromBroker) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (Socket source = from; Socket target = to) {
        InputStream in = source.getInputStream();
        OutputStream out = target.getOutputStream();
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (fromBroker) {
            awaitRelease();
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException closed) {
        // The other side went away, or the relay is closed.
      }
    }, fromBroker ? "broker-relay-from-broker" : "broker-relay-to-broker");
    pump.setDaemon(true);
    pump.start();
  }

  private void awaitRelease() throws InterruptedException {
    synchronized (gate) {
      while (held) {
        gate.wait();
      }
    }
  }

  private void closeAll() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
  }

  @Override
  public void close() throws IOException {
    release();
    server.close();
    closeAll();
  }
}
