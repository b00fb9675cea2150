package com.mp3converter.shared.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;

/**
 * Settles the delivery a consumer route works on (every consumer runs with {@code acknowledgeMode=MANUAL}): the
 * route acks once the work and the events it publishes are done, or requeues to hand the delivery back for another
 * attempt. The consumer route saves the delivery tag in the exchange property {@value #DELIVERY_TAG} as the message
 * arrives (later steps clear headers); the channel is where the spring-rabbitmq consumer puts it.
 *
 * <p>It takes the exchange, not bound values, because it also records there that the delivery is settled: a second
 * call (an error path after the ack) then does nothing, where acking an unknown tag would close the channel and hand
 * back every other delivery in flight on it.
 *
 * <p>A channel that is gone (broker restart, connection lost) is not an error of the work: the broker has already
 * put the message back and delivers it again, and every consumer handles a redelivery. Failing here would fail work
 * that is done, so it is logged instead.
 */
public final class DeliveryAck {
  /** Exchange property with the delivery tag, set by each consumer route from the spring-rabbitmq header. */
  public static final String DELIVERY_TAG = "deliveryTag";

  static final String SETTLED = "mp3DeliverySettled";
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryAck.class);

  private interface Settlement {
    void apply(Channel channel, long deliveryTag) throws IOException;
  }

  /** The delivery is done with: it leaves the queue. */
  public void ack(Exchange exchange) {
    settle(exchange, "acknowledge", (channel, tag) -> channel.basicAck(tag, false));
  }

  /** The delivery goes back to its queue for another attempt (a nack with requeue). */
  public void requeue(Exchange exchange) {
    settle(exchange, "requeue", (channel, tag) -> channel.basicNack(tag, false, true));
  }

  private static void settle(Exchange exchange, String what, Settlement settlement) {
    if (exchange.getProperty(SETTLED, false, Boolean.class)) {
      return;
    }
    Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
    Long tag = exchange.getProperty(DELIVERY_TAG, Long.class);
    if (channel == null || tag == null) {
      throw new IllegalStateException("No AMQP channel or delivery tag on the exchange: does the consumer run with "
          + "acknowledgeMode=MANUAL and save the tag in the exchange property " + DELIVERY_TAG + "?");
    }
    exchange.setProperty(SETTLED, true);
    try {
      settlement.apply(channel, tag);
    } catch (IOException | ShutdownSignalException | AmqpException e) {
      LOG.warn("Could not {} delivery {} (the broker delivers it again once its channel is gone): {}", what, tag,
          e.getMessage());
    }
  }
}
