package com.mp3converter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A test class's own virtual host: there while the class runs, apart from every other host, gone when dropped. */
class RabbitVirtualHostTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();

  @Test
  void theClassHasAHostOfItsOwnWhereMessagesGoAndComeBack() throws Exception {
    assertThat(RABBIT.name()).startsWith("mp3-test-RabbitVirtualHostTest-");
    try (Connection connection = RABBIT.connectionFactory().newConnection("RabbitVirtualHostTest");
        Channel channel = connection.createChannel()) {
      channel.queueDeclare("probe", true, false, false, null);
    }

    RABBIT.publish("", "probe", "{\"n\":1}");
    assertThat(RABBIT.await("probe", Duration.ofSeconds(10))).isEqualTo("{\"n\":1}");
    assertThat(RABBIT.messageCount("probe")).isZero();

    // The same queue name in the default host is another queue: a message there is not seen here.
    try (Connection connection = Rabbit.connectionFactory("/").newConnection("RabbitVirtualHostTest");
        Channel channel = connection.createChannel()) {
      String other = channel.queueDeclare().getQueue();
      assertThatThrownBy(() -> RABBIT.messageCount(other)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aDeletedHostTakesNoMoreConnections() {
    String name = "mp3-test-deleted-" + UUID.randomUUID().toString().substring(0, 8);
    Rabbit.addVirtualHost(name);
    try {
      assertThat(connects(name)).isTrue();
    } finally {
      Rabbit.deleteVirtualHost(name);
    }
    assertThat(connects(name)).isFalse();
  }

  private static boolean connects(String virtualHost) {
    try (Connection connection = Rabbit.connectionFactory(virtualHost).newConnection("RabbitVirtualHostTest")) {
      return connection.isOpen();
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      return false;
    }
  }
}
