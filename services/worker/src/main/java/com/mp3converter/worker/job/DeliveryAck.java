package com.mp3converter.worker.job;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import org.apache.camel.ExchangeProperty;

/** Acknowledges the job message on the channel it came from, once its outcome event is confirmed. */
public final class DeliveryAck {
  public void ack(
      @ExchangeProperty("CamelSpringRabbitmqChannel") Channel channel,
      @ExchangeProperty(JobKeys.DELIVERY_TAG) long deliveryTag) throws IOException {
    channel.basicAck(deliveryTag, false);
  }
}
