package com.mp3converter.shared.amqp;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code mp3.amqp.*} settings, the same in every service that talks AMQP (so their declarations of the topology
 * agree). Their environment names and defaults are in {@code mp3-amqp.yaml} (see {@link AmqpEnvironment}); the
 * broker's address and credentials stay Spring's own {@code spring.rabbitmq.*}.
 *
 * @param quorum quorum queues (production) instead of classic durable ones (MP3_AMQP_QUORUM)
 * @param deadLetterExchange whether the broker supports {@code x-dead-letter-exchange} on queues
 *     (MP3_AMQP_DEAD_LETTER_EXCHANGE); the embedded local broker does not. Not the exchange's name, which is
 *     {@code mp3.amqp.dlx}
 * @param deliveryLimit quorum queues only: deliveries after which the broker dead-letters a message
 *     (MP3_AMQP_DELIVERY_LIMIT)
 * @param confirmTimeoutMs how long every publish waits for the broker's confirm (MP3_AMQP_CONFIRM_TIMEOUT_MS);
 *     the routes' endpoints read it as {@code {{mp3.amqp.confirm-timeout-ms}}}
 */
@ConfigurationProperties("mp3.amqp")
public record AmqpProperties(boolean quorum, boolean deadLetterExchange, int deliveryLimit, long confirmTimeoutMs) {

  public AmqpProperties {
    if (deliveryLimit <= 0 || confirmTimeoutMs <= 0) {
      throw new IllegalArgumentException(
          "mp3.amqp.delivery-limit and mp3.amqp.confirm-timeout-ms must be positive (is mp3-amqp.yaml on the classpath?)");
    }
  }
}
