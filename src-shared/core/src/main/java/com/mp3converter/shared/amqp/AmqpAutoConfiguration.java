package com.mp3converter.shared.amqp;

import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.amqp.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The messaging kit of every service that talks AMQP: binds {@link AmqpProperties} once, declares the whole topology
 * ({@link AmqpTopology}; Spring's RabbitAdmin declares it whenever a connection opens, the consumers declare
 * nothing), and provides the ack helper the consumer routes call as {@code deliveryAck}. Only where Spring Boot set
 * up a Rabbit connection: a service that excludes RabbitAutoConfiguration (auth, on the local run's shared
 * classpath) gets none of it.
 */
@AutoConfiguration(after = RabbitAutoConfiguration.class)
@ConditionalOnClass({RabbitTemplate.class, SpringRabbitMQComponent.class})
@ConditionalOnBean(ConnectionFactory.class)
@EnableConfigurationProperties(AmqpProperties.class)
public class AmqpAutoConfiguration {

  @Bean
  Declarables conversionTopology(AmqpProperties amqp) {
    return AmqpTopology.declarables(amqp.quorum(), amqp.deadLetterExchange(), amqp.deliveryLimit());
  }

  @Bean
  DeliveryAck deliveryAck() {
    return new DeliveryAck();
  }
}
