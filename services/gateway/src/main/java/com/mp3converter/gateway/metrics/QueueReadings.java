package com.mp3converter.gateway.metrics;

import com.mp3converter.shared.amqp.AmqpTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;

/**
 * RabbitMQ's message and consumer counts of the topology's queues and their dead-letter queues, read with passive
 * declarations through the gateway's own connection (Spring's {@link AmqpAdmin#getQueueInfo}: no management API and
 * no extra credentials), all queues in one reading, cached.
 */
public final class QueueReadings {
  /** One queue's counts as the broker gave them. */
  public record QueueCounts(long messages, long consumers) {}

  private final CachedReading<Map<String, QueueCounts>> reading;

  public QueueReadings(AmqpAdmin admin, Duration maxAge, Clock clock) {
    this.reading = new CachedReading<>("the broker's queues", () -> read(admin), maxAge, clock);
  }

  static Map<String, QueueCounts> read(AmqpAdmin admin) {
    Map<String, QueueCounts> counts = new HashMap<>();
    for (String queue : AmqpTopology.QUEUES.keySet()) {
      for (String name : new String[] {queue, AmqpTopology.deadLetterQueue(queue)}) {
        QueueInformation info = admin.getQueueInfo(name);
        if (info != null) {
          counts.put(name, new QueueCounts(info.getMessageCount(), info.getConsumerCount()));
        }
      }
    }
    return counts;
  }

  /** Messages ready in the queue; NaN when the broker could not be asked or does not know the queue. */
  public double messages(String queue) {
    QueueCounts counts = counts(queue);
    return counts == null ? Double.NaN : counts.messages();
  }

  public double consumers(String queue) {
    QueueCounts counts = counts(queue);
    return counts == null ? Double.NaN : counts.consumers();
  }

  private QueueCounts counts(String queue) {
    Map<String, QueueCounts> all = reading.get();
    return all == null ? null : all.get(queue);
  }
}
