package com.mp3converter.gateway.conversions;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import org.apache.camel.Exchange;

/** Manual acknowledgements of the status consumer: ack once the row is updated, requeue when it could not be. */
public final class StatusAcks {
  static final String CHANNEL = "CamelSpringRabbitmqChannel";
  static final String DELIVERY_TAG = "CamelSpringRabbitmqDeliveryTag";

  public void ack(Exchange exchange) throws IOException {
    channel(exchange).basicAck(deliveryTag(exchange), false);
  }

  public void requeue(Exchange exchange) throws IOException {
    channel(exchange).basicNack(deliveryTag(exchange), false, true);
  }

  private static Channel channel(Exchange exchange) {
    Channel channel = exchange.getProperty(CHANNEL, Channel.class);
    if (channel == null) {
      throw new IllegalStateException("no AMQP channel on the exchange (is acknowledgeMode=MANUAL set?)");
    }
    return channel;
  }

  private static long deliveryTag(Exchange exchange) {
    Long tag = exchange.getIn().getHeader(DELIVERY_TAG, Long.class);
    if (tag == null) {
      throw new IllegalStateException("no delivery tag on the message");
    }
    return tag;
  }
}
