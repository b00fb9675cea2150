package com.mp3converter.testing;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real local RabbitMQ as tests reach it: its address, connections to one virtual host, and virtual hosts
 * made and dropped with {@code rabbitmqctl} (there is no management HTTP API here; tests and CI run as root).
 * Test classes use a {@link RabbitVirtualHost} of their own rather than these directly.
 */
public final class Rabbit {
  public static final String HOST = System.getProperty("mp3.test.rabbit.host", "127.0.0.1");
  public static final int PORT = Integer.getInteger("mp3.test.rabbit.port", 5672);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

  private Rabbit() {}

  /** A guest connection factory for one virtual host. */
  public static ConnectionFactory connectionFactory(String virtualHost) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(HOST);
    factory.setPort(PORT);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setVirtualHost(virtualHost);
    return factory;
  }

  /** A fresh, empty virtual host guest may do everything in (whatever an interrupted run left under the name is dropped). */
  public static void addVirtualHost(String name) {
    rabbitmqctl(List.of("delete_vhost", name), true);
    rabbitmqctl(List.of("add_vhost", name), false);
    rabbitmqctl(List.of("set_permissions", "-p", name, "guest", ".*", ".*", ".*"), false);
  }

  /** Drops a virtual host with its queues and messages; one that does not exist is no error. */
  public static void deleteVirtualHost(String name) {
    rabbitmqctl(List.of("delete_vhost", name), true);
  }

  /**
   * Output goes to a file, not a pipe: a command that leaves a daemon behind keeps the descriptors it inherited,
   * and a pipe would never see its end.
   */
  private static void rabbitmqctl(List<String> arguments, boolean mayFail) {
    List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
    command.addAll(arguments);
    try {
      Path out = Files.createTempFile("mp3-rabbitmqctl-", ".log");
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0 && !mayFail) {
          throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
              + Files.readString(out, StandardCharsets.UTF_8));
        }
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
    }
  }
}
