package com.mp3converter.shared.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class AmqpEnvironmentTest {
  /** The route files, at the top of the repository (tests run in src-shared/core). */
  private static final Path ROUTES = Path.of("../../routes");
  private static final Pattern AMQP_PLACEHOLDER = Pattern.compile("\\{\\{(mp3\\.amqp\\.[a-z0-9.-]+)}}");

  private static StandardEnvironment environment(Map<String, Object> given) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("given", given));
    AmqpEnvironment.apply(environment);
    return environment;
  }

  @Test
  void theTopologyNamesAreTheJavaConstants() {
    StandardEnvironment environment = environment(Map.of());

    assertThat(environment.getProperty("mp3.amqp.exchange")).isEqualTo(Topology.EXCHANGE);
    assertThat(environment.getProperty("mp3.amqp.dlx")).isEqualTo(AmqpTopology.DEAD_LETTER_EXCHANGE);
    assertThat(environment.getProperty("mp3.amqp.routing.requested")).isEqualTo(Topology.REQUESTED);
    assertThat(environment.getProperty("mp3.amqp.routing.started")).isEqualTo(Topology.STARTED);
    assertThat(environment.getProperty("mp3.amqp.routing.completed")).isEqualTo(Topology.COMPLETED);
    assertThat(environment.getProperty("mp3.amqp.routing.failed")).isEqualTo(Topology.FAILED);
    assertThat(environment.getProperty("mp3.amqp.queue.worker")).isEqualTo(Topology.WORKER_QUEUE);
    assertThat(environment.getProperty("mp3.amqp.queue.notifier")).isEqualTo(Topology.NOTIFIER_QUEUE);
    assertThat(environment.getProperty("mp3.amqp.queue.gateway-status")).isEqualTo(Topology.GATEWAY_STATUS_QUEUE);
    // Every consumer queue of the topology has its name published.
    assertThat(AmqpEnvironment.NAME_PROPERTIES.values()).containsAll(AmqpTopology.QUEUES.keySet());
  }

  @Test
  void noSettingMakesTheRoutesDisagreeWithTheDeclaredTopology() {
    StandardEnvironment environment = environment(Map.of(
        "mp3.amqp.exchange", "elsewhere", "mp3.amqp.routing.requested", "other.key"));

    assertThat(environment.getProperty("mp3.amqp.exchange")).isEqualTo(Topology.EXCHANGE);
    assertThat(environment.getProperty("mp3.amqp.routing.requested")).isEqualTo(Topology.REQUESTED);
  }

  @Test
  void theSharedSettingsHaveLocalDefaults() {
    StandardEnvironment environment = environment(Map.of());

    assertThat(environment.getProperty("mp3.amqp.confirm-timeout-ms")).isEqualTo("5000");
    assertThat(environment.getProperty("mp3.amqp.quorum")).isEqualTo("false");
    assertThat(environment.getProperty("mp3.amqp.dead-letter-exchange")).isEqualTo("true");
    assertThat(environment.getProperty("mp3.amqp.delivery-limit")).isEqualTo("10");
    assertThat(environment.getProperty("spring.rabbitmq.host")).isEqualTo("127.0.0.1");
    assertThat(environment.getProperty("spring.rabbitmq.publisher-confirm-type")).isEqualTo("correlated");
  }

  @Test
  void theEnvironmentAndTheServicesOverrideTheSharedSettings() {
    StandardEnvironment environment = environment(Map.of(
        "MP3_AMQP_CONFIRM_TIMEOUT_MS", "1500", "mp3.amqp.quorum", "true", "SPRING_RABBITMQ_HOST", "rabbitmq"));

    assertThat(environment.getProperty("mp3.amqp.confirm-timeout-ms")).isEqualTo("1500");
    assertThat(environment.getProperty("mp3.amqp.quorum")).isEqualTo("true");
    assertThat(environment.getProperty("spring.rabbitmq.host")).isEqualTo("rabbitmq");
  }

  @Test
  void routeFilesNameTheTopologyOnlyThroughPlaceholders() throws IOException {
    StandardEnvironment bare = new StandardEnvironment();
    AmqpEnvironment.apply(bare);
    List<String> literals = new ArrayList<>();
    TreeSet<String> unknownPlaceholders = new TreeSet<>();
    int placeholders = 0;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(ROUTES)) {
      files = walk.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    // An endpoint whose exchange is not a placeholder, or a routing key or queue name (they all have a dot; the
    // exchange's own name is also the jobs table's, so it is only looked for in endpoints).
    List<String> alternatives = new ArrayList<>(List.of("spring-rabbitmq:(?!\\{\\{)"));
    AmqpEnvironment.NAME_PROPERTIES.values().stream().map(Object::toString).filter(name -> name.contains("."))
        .forEach(name -> alternatives.add("(?<![\\w.])" + Pattern.quote(name) + "(?![\\w.-])"));
    Pattern literal = Pattern.compile(String.join("|", alternatives));
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        String code = lines.get(i).replaceFirst("(^|\\s)#.*$", "");
        if (literal.matcher(code).find()) {
          literals.add(ROUTES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
        Matcher placeholder = AMQP_PLACEHOLDER.matcher(code);
        while (placeholder.find()) {
          placeholders++;
          if (bare.getProperty(placeholder.group(1)) == null) {
            unknownPlaceholders.add(placeholder.group(1));
          }
        }
      }
    }
    assertThat(literals).as("AMQP names written out in route files").isEmpty();
    assertThat(unknownPlaceholders).as("mp3.amqp placeholders that resolve to nothing").isEmpty();
    assertThat(placeholders).isPositive();
  }
}
