package com.mp3converter.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.amqp.AmqpTopology;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.RabbitVirtualHost;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/** The queue gauges against the real RabbitMQ, through Spring's RabbitAdmin as in the gateway. */
class QueueReadingsTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();

  @Test
  void theGaugesShowTheBrokersCountsOfEachQueueAndItsDeadLetterQueue() {
    CachingConnectionFactory connections = new CachingConnectionFactory(RABBIT.connectionFactory());
    try {
      RabbitAdmin admin = new RabbitAdmin(connections);
      for (Declarable declarable : AmqpTopology.declarables(false, true, 10).getDeclarables()) {
        if (declarable instanceof org.springframework.amqp.core.Queue queue) {
          admin.declareQueue(queue);
        } else if (declarable instanceof org.springframework.amqp.core.Exchange exchange) {
          admin.declareExchange(exchange);
        } else if (declarable instanceof org.springframework.amqp.core.Binding binding) {
          admin.declareBinding(binding);
        }
      }
      RABBIT.publish(Topology.EXCHANGE, Topology.REQUESTED, "{}");
      RABBIT.publish(Topology.EXCHANGE, Topology.REQUESTED, "{}");
      RABBIT.publish(AmqpTopology.DEAD_LETTER_EXCHANGE, Topology.NOTIFIER_QUEUE, "{}");

      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      // No caching here (max age zero): the broker's counts may lag the publishes by a moment.
      GatewayMetrics.bindQueues(registry, new QueueReadings(admin, Duration.ZERO, Clock.systemUTC()));

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(gauge(registry, GatewayMetrics.QUEUE_MESSAGES, Topology.WORKER_QUEUE)).isEqualTo(2);
        assertThat(gauge(registry, GatewayMetrics.QUEUE_DEAD_LETTERS, Topology.NOTIFIER_QUEUE)).isEqualTo(1);
      });
      assertThat(gauge(registry, GatewayMetrics.QUEUE_DEAD_LETTERS, Topology.WORKER_QUEUE)).isZero();
      assertThat(gauge(registry, GatewayMetrics.QUEUE_MESSAGES, Topology.GATEWAY_STATUS_QUEUE)).isZero();
      assertThat(gauge(registry, GatewayMetrics.QUEUE_CONSUMERS, Topology.WORKER_QUEUE)).isZero();
    } finally {
      connections.destroy();
    }
  }

  @Test
  void aBrokerThatCannotBeReachedShowsNaNNotZero() {
    CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
    try {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      GatewayMetrics.bindQueues(registry,
          new QueueReadings(new RabbitAdmin(nowhere), Duration.ofSeconds(15), Clock.systemUTC()));

      for (String name : new String[] {GatewayMetrics.QUEUE_MESSAGES, GatewayMetrics.QUEUE_DEAD_LETTERS,
          GatewayMetrics.QUEUE_CONSUMERS}) {
        assertThat(registry.get(name).gauges()).extracting(g -> g.getId().getTag("queue"))
            .containsExactlyInAnyOrderElementsOf(AmqpTopology.QUEUES.keySet());
        assertThat(registry.get(name).gauges()).allSatisfy(g -> assertThat(g.value()).isNaN());
      }
    } finally {
      nowhere.destroy();
    }
  }

  private static double gauge(SimpleMeterRegistry registry, String name, String queue) {
    return registry.get(name).tag("queue", queue).gauge().value();
  }
}
