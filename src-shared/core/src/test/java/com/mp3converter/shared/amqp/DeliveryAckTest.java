package com.mp3converter.shared.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real local RabbitMQ, in its default virtual host: each test declares an exclusive, server-named
 * queue only its own connection can see, so no other suite's messages reach it. (shared-testing's per-class virtual
 * host is out of reach here: it depends on this module.)
 */
class DeliveryAckTest {
  private final DeliveryAck acks = new DeliveryAck();
  private final CamelContext camel = new DefaultCamelContext();
  private Connection connection;
  private Channel control;
  private String queue;

  @BeforeEach
  void connect() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(System.getProperty("mp3.test.rabbit.host", "127.0.0.1"));
    factory.setPort(Integer.getInteger("mp3.test.rabbit.port", 5672));
    factory.setVirtualHost("/");
    connection = factory.newConnection("DeliveryAckTest");
    control = connection.createChannel();
    queue = control.queueDeclare().getQueue();
    control.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
        "job".getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void close() throws Exception {
    connection.close();
    camel.close();
  }

  /** Takes the message on a channel of its own with a manual ack, as the consumers do. */
  private Exchange delivered(Channel channel) throws Exception {
    GetResponse response = channel.basicGet(queue, false);
    assertThat(response).isNotNull();
    Exchange exchange = new DefaultExchange(camel);
    exchange.setProperty(SpringRabbitMQConstants.CHANNEL, channel);
    exchange.setProperty(DeliveryAck.DELIVERY_TAG, response.getEnvelope().getDeliveryTag());
    return exchange;
  }

  @Test
  void anAckedDeliveryLeavesTheQueueAndASecondSettlementChangesNothing() throws Exception {
    Channel consumer = connection.createChannel();
    Exchange exchange = delivered(consumer);

    acks.ack(exchange);
    acks.ack(exchange);
    acks.requeue(exchange);

    // A second ack of the same tag would have closed the channel (PRECONDITION_FAILED); a requeue would have
    // brought the message back.
    assertThat(consumer.isOpen()).isTrue();
    consumer.close();
    assertThat(control.queueDeclarePassive(queue).getMessageCount()).isZero();
  }

  @Test
  void aRequeuedDeliveryComesBackAsARedelivery() throws Exception {
    Channel consumer = connection.createChannel();
    acks.requeue(delivered(consumer));

    GetResponse again = control.basicGet(queue, true);
    assertThat(again).isNotNull();
    assertThat(again.getEnvelope().isRedeliver()).isTrue();
    assertThat(consumer.isOpen()).isTrue();
  }

  @Test
  void aChannelThatIsGoneIsNoErrorOfTheWork() throws Exception {
    Channel consumer = connection.createChannel();
    Exchange exchange = delivered(consumer);
    consumer.close();

    acks.ack(exchange);

    // The broker put the message back when the channel closed: it is delivered again.
    assertThat(control.queueDeclarePassive(queue).getMessageCount()).isEqualTo(1);
  }

  @Test
  void aConsumerWithoutManualAcksIsAConfigurationError() {
    Exchange exchange = new DefaultExchange(camel);

    assertThatThrownBy(() -> acks.ack(exchange))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(DeliveryAck.DELIVERY_TAG);
  }
}
