package com.mp3converter.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/** Direct access to the real local RabbitMQ for tests: purge, publish, read back. */
public final class Rabbit {
  public static final String HOST = System.getProperty("mp3.test.rabbit.host", "127.0.0.1");
  public static final int PORT = Integer.getInteger("mp3.test.rabbit.port", 5672);
  /** The virtual host the services under test use too (Spring reads the same variable), so that test runs can be kept apart. */
  public static final String VHOST = System.getenv().getOrDefault("SPRING_RABBITMQ_VIRTUAL_HOST", "/");

  private Rabbit() {}

  /** Empties queues that exist; queues that do not exist yet are skipped. */
  public static void purge(String... queues) {
    for (String queue : queues) {
      withChannel(channel -> {
        try {
          channel.queuePurge(queue);
        } catch (IOException notDeclaredYet) {
          // The channel is closed by the broker on a missing queue; nothing to purge.
        }
        return null;
      });
    }
  }

  public static void publish(String exchange, String routingKey, String json) {
    withChannel(channel -> {
      channel.basicPublish(exchange, routingKey,
          new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
          json.getBytes(StandardCharsets.UTF_8));
      return null;
    });
  }

  /** Takes one message off a queue (acknowledged), or empty if the queue is empty. */
  public static Optional<String> get(String queue) {
    return withChannel(channel -> {
      GetResponse response = channel.basicGet(queue, true);
      return Optional.ofNullable(response).map(r -> new String(r.getBody(), StandardCharsets.UTF_8));
    });
  }

  /** Waits until a message arrives on the queue, polling; fails with an AssertionError at the deadline. */
  public static String await(String queue, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> message = get(queue);
      if (message.isPresent()) {
        return message.get();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no message on " + queue + " within " + timeout);
  }

  public static long messageCount(String queue) {
    return withChannel(channel -> (long) channel.queueDeclarePassive(queue).getMessageCount());
  }

  private interface ChannelWork<T> {
    T apply(Channel channel) throws IOException;
  }

  private static <T> T withChannel(ChannelWork<T> work) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(HOST);
    factory.setPort(PORT);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setVirtualHost(VHOST);
    try (Connection connection = factory.newConnection("mp3-test-support");
        Channel channel = connection.createChannel()) {
      return work.apply(channel);
    } catch (com.rabbitmq.client.AlreadyClosedException | IOException | TimeoutException e) {
      if (e instanceof com.rabbitmq.client.AlreadyClosedException) {
        return null;
      }
      throw new IllegalStateException("RabbitMQ at " + HOST + ":" + PORT + ": " + e.getMessage(), e);
    }
  }
}
