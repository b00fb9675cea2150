package com.mp3converter.worker.job;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;

/**
 * Acknowledges the job message on the channel it came from, once its outcome event is confirmed, or hands it
 * back to the queue. A channel that is gone (broker restart, connection lost) is not an error of the job: the
 * broker has already put the message back and will deliver it again, and the redelivered job finds its MP3
 * stored and is only announced again. Failing here would fail a finished job.
 */
public final class DeliveryAck {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryAck.class);

  public void ack(
      @ExchangeProperty("CamelSpringRabbitmqChannel") Channel channel,
      @ExchangeProperty(JobKeys.DELIVERY_TAG) long deliveryTag) {
    try {
      channel.basicAck(deliveryTag, false);
    } catch (IOException | ShutdownSignalException | AmqpException e) {
      LOG.warn("Could not acknowledge delivery {} (the broker will deliver the job again): {}", deliveryTag,
          e.getMessage());
    }
  }

  /** Back to the queue for another attempt (a nack with requeue). */
  public void release(
      @ExchangeProperty("CamelSpringRabbitmqChannel") Channel channel,
      @ExchangeProperty(JobKeys.DELIVERY_TAG) long deliveryTag) {
    try {
      channel.basicNack(deliveryTag, false, true);
    } catch (IOException | ShutdownSignalException | AmqpException e) {
      LOG.warn("Could not hand delivery {} back (the broker does so itself when the channel is gone): {}",
          deliveryTag, e.getMessage());
    }
  }
}
