package com.mp3converter.notifier;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges the event being processed (the consumer runs with manual acks, so an event leaves the queue only
 * once its email was accepted, refused for good, or parked in the dead-letter queue).
 */
public class DeliveryAck {
  /** Exchange property holding the delivery tag, saved when the event arrives (later steps clear headers). */
  public static final String DELIVERY_TAG = "deliveryTag";

  private static final String ACKNOWLEDGED = "notifierAcknowledged";
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryAck.class);

  public void ack(Exchange exchange) {
    if (exchange.getProperty(ACKNOWLEDGED, false, Boolean.class)) {
      return;
    }
    Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
    Long tag = exchange.getProperty(DELIVERY_TAG, Long.class);
    if (channel == null || tag == null) {
      throw new IllegalStateException("No AMQP channel or delivery tag on the exchange: was manual ack configured?");
    }
    try {
      channel.basicAck(tag, false);
      exchange.setProperty(ACKNOWLEDGED, true);
    } catch (IOException | ShutdownSignalException e) {
      // The channel is gone: the broker puts the event back and it is processed again, which sends no second
      // email because the Idempotency-Key is the same. Failing here would only dead-letter a finished event.
      LOG.warn("Could not acknowledge delivery {} (the event will be redelivered): {}", tag, e.getMessage());
    }
  }
}
