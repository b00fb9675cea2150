package com.mp3converter.launcher.fault;

import static org.awaitility.Awaitility.await;

import com.mp3converter.testing.Rabbit;
import com.mp3converter.testing.TestDatabase;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The machine's real RabbitMQ and PostgreSQL, as the fault tests need them: restarted on purpose, and always
 * brought back (every caller runs {@link #ensureRabbitUp} / {@link #ensurePostgresUp} in a finally). The system
 * under test gets its own RabbitMQ virtual host, so the jobs and events of other suites running on this machine
 * never mix with the ones counted here.
 */
final class Infrastructure {
  static final String VHOST = "mp3-fault";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration POLL = Duration.ofMillis(200);

  private Infrastructure() {}

  // --- RabbitMQ ------------------------------------------------------------------------------------------

  /** A fresh, empty virtual host for this run (whatever an earlier, interrupted run left is dropped). */
  static void resetVhost() throws IOException, InterruptedException {
    ensureRabbitUp();
    Rabbit.addVirtualHost(VHOST);
  }

  static void deleteVhost() {
    Rabbit.deleteVirtualHost(VHOST);
  }

  /** Stops the broker's application (every connection drops, durable queues and persistent messages stay). */
  static void stopRabbit() throws IOException, InterruptedException {
    run(List.of("rabbitmqctl", "-q", "stop_app"), false);
  }

  static void startRabbit() throws IOException, InterruptedException {
    run(List.of("rabbitmqctl", "-q", "start_app"), false);
    awaitRabbit();
  }

  /**
   * Stops the whole broker node, Erlang runtime and all, as a crash-free server restart or a node replacement
   * does; returns once the process has exited. Durable queues and persistent messages are on disk.
   */
  static void stopRabbitNode() throws IOException, InterruptedException {
    run(List.of("rabbitmqctl", "-q", "shutdown"), false);
  }

  /** Starts the node the way the machine (and .ci/run) starts it, and waits until it serves AMQP. */
  static void startRabbitNode() throws IOException, InterruptedException {
    run(List.of("rabbitmq-server", "-detached"), false);
    awaitRabbit();
  }

  /**
   * Brings the broker back whatever state it is in: application stopped ({@code start_app}) or node down
   * ({@code rabbitmq-server -detached}); then waits until it serves AMQP again.
   */
  static void ensureRabbitUp() throws IOException, InterruptedException {
    if (rabbitServes()) {
      return;
    }
    if (run(List.of("rabbitmqctl", "-q", "start_app"), true) != 0) {
      run(List.of("rabbitmq-server", "-detached"), true);
    }
    awaitRabbit();
  }

  private static void awaitRabbit() throws IOException, InterruptedException {
    long started = System.nanoTime();
    await().alias("RabbitMQ opens port " + Rabbit.PORT).atMost(COMMAND_TIMEOUT).pollInterval(POLL)
        .until(() -> portOpen(Rabbit.PORT));
    run(List.of("rabbitmqctl", "-q", "await_startup"), false);
    await().alias("RabbitMQ serves AMQP").atMost(COMMAND_TIMEOUT.minusNanos(System.nanoTime() - started))
        .pollInterval(POLL).until(Infrastructure::rabbitServes);
  }

  private static boolean rabbitServes() {
    try (Connection connection = factory("/").newConnection("mp3-fault-probe")) {
      return connection.isOpen();
    } catch (IOException | TimeoutException e) {
      return false;
    }
  }

  /** Ready plus unacknowledged messages of every queue in the test's virtual host. */
  static Map<String, Long> queueDepths() throws IOException, InterruptedException {
    String out = output(List.of("rabbitmqctl", "-q", "list_queues", "-p", VHOST, "--no-table-headers", "name",
        "messages"));
    Map<String, Long> depths = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2 && parts[1].matches("\\d+")) {
        depths.put(parts[0], Long.parseLong(parts[1]));
      }
    }
    return depths;
  }

  /** A connection to the test's virtual host, for taps and reading dead-letter queues. */
  static Connection connect(String name) throws IOException, TimeoutException {
    return factory(VHOST).newConnection(name);
  }

  /** Takes every message off a queue (acknowledged) and answers their bodies. */
  static List<String> drain(Channel channel, String queue) throws IOException {
    List<String> bodies = new ArrayList<>();
    GetResponse response;
    while ((response = channel.basicGet(queue, true)) != null) {
      bodies.add(new String(response.getBody(), StandardCharsets.UTF_8));
    }
    return bodies;
  }

  private static ConnectionFactory factory(String vhost) {
    ConnectionFactory factory = Rabbit.connectionFactory(vhost);
    factory.setConnectionTimeout(3000);
    factory.setAutomaticRecoveryEnabled(false);
    return factory;
  }

  // --- PostgreSQL -----------------------------------------------------------------------------------------

  /** A restart as an operator or a failover does it: every connection is cut. */
  static void restartPostgres() throws IOException, InterruptedException {
    run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "restart"), false);
    awaitPostgres();
  }

  static void stopPostgres() throws IOException, InterruptedException {
    run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "stop"), false);
  }

  static void startPostgres() throws IOException, InterruptedException {
    run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "start"), false);
    awaitPostgres();
  }

  static void ensurePostgresUp() throws IOException, InterruptedException {
    if (postgresServes()) {
      return;
    }
    run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "start"), true);
    awaitPostgres();
  }

  private static void awaitPostgres() {
    await().alias("PostgreSQL answers").atMost(COMMAND_TIMEOUT).pollInterval(POLL)
        .until(Infrastructure::postgresServes);
  }

  private static boolean postgresServes() {
    try (var connection = DriverManager.getConnection(TestDatabase.url("postgres"), TestDatabase.USER,
        TestDatabase.PASSWORD)) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static String postgresVersion() throws IOException {
    try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
      return versions.map(p -> p.getFileName().toString()).sorted().findFirst()
          .orElseThrow(() -> new IllegalStateException("no PostgreSQL cluster in /etc/postgresql"));
    }
  }

  // --- helpers ---------------------------------------------------------------------------------------------

  static boolean portOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int run(List<String> command, boolean mayFail) throws IOException, InterruptedException {
    Result result = execute(command);
    if (result.exit() != 0 && !mayFail) {
      throw new IllegalStateException(String.join(" ", command) + " failed (" + result.exit() + "): " + result.out());
    }
    return result.exit();
  }

  private static String output(List<String> command) throws IOException, InterruptedException {
    Result result = execute(command);
    if (result.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + result.out());
    }
    return result.out();
  }

  private record Result(int exit, String out) {}

  /**
   * Output goes to a file, not a pipe: {@code rabbitmq-server -detached} leaves a daemon behind that keeps the
   * descriptors it inherited, and a pipe would never see its end.
   */
  private static Result execute(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("mp3-fault-command-", ".log");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
