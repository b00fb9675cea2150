package com.mp3converter.shared.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.Topology;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.amqp.RabbitAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration as Spring Boot runs it (no broker is contacted: nothing here opens a connection). */
class AmqpAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withInitializer(context -> AmqpEnvironment.apply(context.getEnvironment()))
      .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, AmqpAutoConfiguration.class));

  @Test
  void isRegisteredForSpringBoot() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
        .contains(AmqpAutoConfiguration.class.getName());
  }

  @Test
  void bindsTheSharedSettingsOnceAndDeclaresTheWholeTopologyFromThem() {
    runner.withPropertyValues("mp3.amqp.quorum=true", "mp3.amqp.delivery-limit=4").run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(AmqpProperties.class).hasSingleBean(DeliveryAck.class);
      AmqpProperties amqp = context.getBean(AmqpProperties.class);
      assertThat(amqp.confirmTimeoutMs()).isEqualTo(5000);
      assertThat(amqp.deadLetterExchange()).isTrue();

      Declarables topology = context.getBean(Declarables.class);
      Queue worker = topology.getDeclarablesByType(Queue.class).stream()
          .filter(q -> q.getName().equals(Topology.WORKER_QUEUE)).findFirst().orElseThrow();
      assertThat(worker.getArguments())
          .containsEntry("x-queue-type", "quorum")
          .containsEntry("x-delivery-limit", 4)
          .containsEntry("x-dead-letter-exchange", AmqpTopology.DEAD_LETTER_EXCHANGE);
      assertThat(topology.getDeclarablesByType(Queue.class)).extracting(Queue::getName)
          .containsAll(AmqpTopology.QUEUES.keySet());
    });
  }

  @Test
  void aServiceWithoutRabbitGetsNoneOfIt() {
    new ApplicationContextRunner()
        .withInitializer(context -> AmqpEnvironment.apply(context.getEnvironment()))
        .withConfiguration(AutoConfigurations.of(AmqpAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(Declarables.class).doesNotHaveBean(DeliveryAck.class)
            .doesNotHaveBean(AmqpProperties.class));
  }

  @Test
  void refusesToStartWithoutAConfirmTimeout() {
    runner.withPropertyValues("mp3.amqp.confirm-timeout-ms=0").run(context -> assertThat(context).hasFailed());
  }
}
