package com.mp3converter.shared.amqp;

import static com.mp3converter.shared.messages.Topology.ACCOUNT_DELETED;
import static com.mp3converter.shared.messages.Topology.ACCOUNT_EMAIL;
import static com.mp3converter.shared.messages.Topology.COMPLETED;
import static com.mp3converter.shared.messages.Topology.EXCHANGE;
import static com.mp3converter.shared.messages.Topology.FAILED;
import static com.mp3converter.shared.messages.Topology.GATEWAY_ACCOUNTS_QUEUE;
import static com.mp3converter.shared.messages.Topology.GATEWAY_STATUS_QUEUE;
import static com.mp3converter.shared.messages.Topology.NOTIFIER_ACCOUNTS_QUEUE;
import static com.mp3converter.shared.messages.Topology.NOTIFIER_QUEUE;
import static com.mp3converter.shared.messages.Topology.PROGRESS;
import static com.mp3converter.shared.messages.Topology.REQUESTED;
import static com.mp3converter.shared.messages.Topology.STARTED;
import static com.mp3converter.shared.messages.Topology.WORKER_QUEUE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;

/**
 * The whole RabbitMQ topology in one place. Every service that talks AMQP declares all of it at start-up
 * (declarations are idempotent when the arguments agree, and they always agree because they come from here),
 * so no message is ever published to an exchange whose queue does not exist yet.
 */
public final class AmqpTopology {
  public static final String DEAD_LETTER_EXCHANGE = EXCHANGE + ".dlx";

  /** Each consumer queue and the routing keys bound to it. */
  public static final Map<String, List<String>> QUEUES = Map.of(
      WORKER_QUEUE, List.of(REQUESTED),
      NOTIFIER_QUEUE, List.of(COMPLETED, FAILED),
      GATEWAY_STATUS_QUEUE, List.of(STARTED, COMPLETED, FAILED, PROGRESS),
      NOTIFIER_ACCOUNTS_QUEUE, List.of(ACCOUNT_EMAIL, ACCOUNT_DELETED),
      GATEWAY_ACCOUNTS_QUEUE, List.of(ACCOUNT_DELETED));

  private AmqpTopology() {}

  public static String deadLetterQueue(String queue) {
    return queue + ".dlq";
  }

  /**
   * @param quorum quorum queues (production) instead of classic durable ones
   * @param deadLetterExchange whether the broker supports {@code x-dead-letter-exchange}; the embedded local
   *     broker does not, and the services then move poison messages to the DLQ themselves
   * @param deliveryLimit quorum queues only: the broker's last net against a message that keeps crashing consumers
   */
  public static Declarables declarables(boolean quorum, boolean deadLetterExchange, int deliveryLimit) {
    List<Declarable> all = new ArrayList<>();
    TopicExchange exchange = new TopicExchange(EXCHANGE, true, false);
    DirectExchange dlx = new DirectExchange(DEAD_LETTER_EXCHANGE, true, false);
    all.add(exchange);
    all.add(dlx);
    QUEUES.forEach((name, keys) -> {
      Map<String, Object> args = new HashMap<>();
      Map<String, Object> dlqArgs = new HashMap<>();
      if (quorum) {
        args.put("x-queue-type", "quorum");
        args.put("x-delivery-limit", deliveryLimit);
        dlqArgs.put("x-queue-type", "quorum");
      }
      if (deadLetterExchange) {
        args.put("x-dead-letter-exchange", DEAD_LETTER_EXCHANGE);
        args.put("x-dead-letter-routing-key", name);
      }
      Queue queue = new Queue(name, true, false, false, args);
      Queue dlq = new Queue(deadLetterQueue(name), true, false, false, dlqArgs);
      all.add(queue);
      all.add(dlq);
      all.add(BindingBuilder.bind(dlq).to(dlx).with(name));
      for (String key : keys) {
        Binding binding = BindingBuilder.bind(queue).to(exchange).with(key);
        all.add(binding);
      }
    });
    return new Declarables(all);
  }
}
