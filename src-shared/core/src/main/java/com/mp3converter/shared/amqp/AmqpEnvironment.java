package com.mp3converter.shared.amqp;

import static com.mp3converter.shared.messages.Topology.ACCOUNT_DELETED;
import static com.mp3converter.shared.messages.Topology.ACCOUNT_EMAIL;
import static com.mp3converter.shared.messages.Topology.CANCEL;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;

/**
 * Gives every service that talks AMQP (the Rabbit client is on its classpath) two property sources, so its route
 * files name the topology and read the settings through property placeholders, never as literals:
 * <ul>
 *   <li>{@value #NAMES}: the topology's names from {@link com.mp3converter.shared.messages.Topology} and
 *       {@link AmqpTopology} ({@link #NAME_PROPERTIES}), ahead of every other source: they are the contract, and
 *       the Java that declares the topology uses the same constants, so no setting may make the two disagree.
 *   <li>{@value #DEFAULTS}: {@value #DEFAULTS_FILE}, the shared AMQP settings with their environment names and
 *       local defaults, behind every other source: a service's own file, the environment and the command line
 *       still override them.
 * </ul>
 * Run per application, so each service of the one-JVM local run gets its own.
 */
public final class AmqpEnvironment implements EnvironmentPostProcessor {
  public static final String NAMES = "mp3AmqpNames";
  public static final String DEFAULTS = "mp3AmqpDefaults";
  public static final String DEFAULTS_FILE = "mp3-amqp.yaml";

  /** Property name to the topology name it stands for, e.g. {@code {{mp3.amqp.routing.requested}}}. */
  public static final Map<String, Object> NAME_PROPERTIES = Map.ofEntries(
      Map.entry("mp3.amqp.exchange", EXCHANGE),
      Map.entry("mp3.amqp.dlx", AmqpTopology.DEAD_LETTER_EXCHANGE),
      Map.entry("mp3.amqp.routing.requested", REQUESTED),
      Map.entry("mp3.amqp.routing.started", STARTED),
      Map.entry("mp3.amqp.routing.completed", COMPLETED),
      Map.entry("mp3.amqp.routing.failed", FAILED),
      Map.entry("mp3.amqp.routing.account-email", ACCOUNT_EMAIL),
      Map.entry("mp3.amqp.routing.account-deleted", ACCOUNT_DELETED),
      Map.entry("mp3.amqp.routing.cancel", CANCEL),
      Map.entry("mp3.amqp.routing.progress", PROGRESS),
      Map.entry("mp3.amqp.queue.worker", WORKER_QUEUE),
      Map.entry("mp3.amqp.queue.notifier", NOTIFIER_QUEUE),
      Map.entry("mp3.amqp.queue.gateway-status", GATEWAY_STATUS_QUEUE),
      Map.entry("mp3.amqp.queue.notifier-accounts", NOTIFIER_ACCOUNTS_QUEUE),
      Map.entry("mp3.amqp.queue.gateway-accounts", GATEWAY_ACCOUNTS_QUEUE));

  private static final String RABBIT_CLIENT = "org.springframework.amqp.rabbit.core.RabbitTemplate";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!ClassUtils.isPresent(RABBIT_CLIENT, application.getClassLoader())) {
      return;
    }
    apply(environment);
  }

  /** Adds both sources (once). */
  public static void apply(ConfigurableEnvironment environment) {
    var sources = environment.getPropertySources();
    if (sources.contains(NAMES)) {
      return;
    }
    sources.addFirst(new MapPropertySource(NAMES, NAME_PROPERTIES));
    try {
      for (PropertySource<?> defaults : new YamlPropertySourceLoader().load(DEFAULTS,
          new ClassPathResource(DEFAULTS_FILE, AmqpEnvironment.class.getClassLoader()))) {
        sources.addLast(defaults);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULTS_FILE, e);
    }
  }
}
