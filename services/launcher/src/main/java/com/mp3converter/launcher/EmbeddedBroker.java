package com.mp3converter.launcher;

import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;

/**
 * An AMQP 0-9-1 broker in this JVM (Apache Qpid Broker-J, in memory) for machines without RabbitMQ. It has no
 * dead-letter exchanges, so the services run with {@code mp3.amqp.dead-letter-exchange=false} and decide
 * retries themselves.
 */
final class EmbeddedBroker implements AutoCloseable {
  private final SystemLauncher launcher = new SystemLauncher();

  EmbeddedBroker(int port) throws Exception {
    Map<String, Object> attributes = new HashMap<>();
    attributes.put("type", "Memory");
    attributes.put("initialConfigurationLocation",
        EmbeddedBroker.class.getResource("/embedded-broker.json").toExternalForm());
    attributes.put("startupLoggedToSystemOut", false);
    attributes.put("context", Map.of("qpid.amqp_port", Integer.toString(port)));
    launcher.startup(attributes);
  }

  @Override
  public void close() {
    launcher.shutdown();
  }
}
