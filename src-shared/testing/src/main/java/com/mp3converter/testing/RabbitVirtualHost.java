package com.mp3converter.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A RabbitMQ virtual host of one test class's own, so that suites never see each other's messages: created
 * before the class (named after it, plus a random part), deleted when the class is done — after its
 * {@code @AfterAll} methods and after Spring has closed a context the class dirtied. Register it on a static
 * field and point the class's contexts at it:
 *
 * <pre>{@code
 * @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
 *
 * @DynamicPropertySource
 * static void properties(DynamicPropertyRegistry registry) {
 *   registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
 * }
 * }</pre>
 *
 * A Spring context must not outlive the class (its connections would point at a deleted host): such classes carry
 * {@code @DirtiesContext}. The methods here purge, publish and read back in that host.
 */
public final class RabbitVirtualHost implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RabbitVirtualHost.class);

  private volatile String name;

  @Override
  public void beforeAll(ExtensionContext context) {
    String created = "mp3-test-" + context.getRequiredTestClass().getSimpleName() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    Rabbit.addVirtualHost(created);
    name = created;
    // The class's store closes after every afterAll callback, Spring's included.
    context.getStore(NAMESPACE).put(created,
        (ExtensionContext.Store.CloseableResource) () -> Rabbit.deleteVirtualHost(created));
  }

  /** The virtual host's name; there is none before the class starts. */
  public String name() {
    String current = name;
    if (current == null) {
      throw new IllegalStateException("RabbitVirtualHost is used before its test class started; register it with "
          + "@RegisterExtension on a static field");
    }
    return current;
  }

  /** A guest connection factory for this virtual host. */
  public ConnectionFactory connectionFactory() {
    return Rabbit.connectionFactory(name());
  }

  /** Empties queues that exist; queues that do not exist yet are skipped. */
  public void purge(String... queues) {
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

  public void publish(String exchange, String routingKey, String json) {
    withChannel(channel -> {
      channel.basicPublish(exchange, routingKey,
          new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
          json.getBytes(StandardCharsets.UTF_8));
      return null;
    });
  }

  /** Takes one message off a queue (acknowledged), or empty if the queue is empty. */
  public Optional<String> get(String queue) {
    return withChannel(channel -> {
      GetResponse response = channel.basicGet(queue, true);
      return Optional.ofNullable(response).map(r -> new String(r.getBody(), StandardCharsets.UTF_8));
    });
  }

  /** Waits until a message arrives on the queue and takes it; fails at the deadline. */
  public String await(String queue, Duration timeout) {
    return Awaitility.await().alias("a message on " + queue).atMost(timeout).pollInterval(Duration.ofMillis(50))
        .until(() -> get(queue), Optional::isPresent).get();
  }

  public long messageCount(String queue) {
    return withChannel(channel -> (long) channel.queueDeclarePassive(queue).getMessageCount());
  }

  private interface ChannelWork<T> {
    T apply(Channel channel) throws IOException;
  }

  private <T> T withChannel(ChannelWork<T> work) {
    try (Connection connection = connectionFactory().newConnection("mp3-test-support");
        Channel channel = connection.createChannel()) {
      return work.apply(channel);
    } catch (AlreadyClosedException e) {
      return null;
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException("RabbitMQ at " + Rabbit.HOST + ":" + Rabbit.PORT + ": " + e.getMessage(), e);
    }
  }
}
