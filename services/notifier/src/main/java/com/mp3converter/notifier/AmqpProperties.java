package com.mp3converter.notifier;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the RabbitMQ topology is declared (the same settings in every AMQP service, so declarations agree).
 *
 * @param quorum quorum queues (production) instead of classic durable ones
 * @param deadLetterExchange whether the broker supports {@code x-dead-letter-exchange} on queues
 * @param deliveryLimit quorum queues only: deliveries after which the broker dead-letters a message
 */
@ConfigurationProperties("mp3.amqp")
public record AmqpProperties(
    @DefaultValue("false") boolean quorum,
    @DefaultValue("true") boolean deadLetterExchange,
    @DefaultValue("10") int deliveryLimit) {}
