package com.mp3converter.worker.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.Topology;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;

/**
 * The test's side of RabbitMQ: publishes jobs the way the gateway does (plus headers that must never reach a
 * source), and reads the worker's events back from a private queue bound to the conversions exchange, so
 * nothing consuming notifier.events or gateway.status could take them first.
 */
final class JobBus implements AutoCloseable {
  /** Headers on every job message: none of them may leak into a request to the source. */
  static final Map<String, Object> LEAKY_HEADERS = Map.of(
      "Authorization", "Bearer secret-access-token",
      "x-user-email", "victim@example.org",
      "Cookie", "session=secret");

  record Event(String routingKey, JsonNode body) {
    String reason() {
      return body.path("reason").asText(null);
    }
  }

  private final Connection connection;
  private final Channel channel;
  private final String tap;
  /** Events read while waiting for another job, kept for when their job is awaited. */
  private final Map<String, List<Event>> unclaimed = new HashMap<>();

  /** On the test class's virtual host, where its worker consumes. */
  JobBus(ConnectionFactory factory) throws IOException, TimeoutException {
    connection = factory.newConnection("worker-test");
    channel = connection.createChannel();
    tap = channel.queueDeclare("", false, true, true, null).getQueue();
    for (String key : List.of(Topology.STARTED, Topology.COMPLETED, Topology.FAILED)) {
      channel.queueBind(tap, Topology.EXCHANGE, key);
    }
  }

  static ConversionRequested job(String sourceUrl) {
    return job(sourceUrl, "192k");
  }

  static ConversionRequested job(String sourceUrl, String bitrate) {
    return new ConversionRequested(ConversionRequested.VERSION, UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), "victim@example.org", "Victim", sourceUrl, bitrate, Instant.now());
  }

  /** A job whose source the user uploaded: its object key is uploads/{userId}/{jobId}, as the gateway names it. */
  static ConversionRequested uploadJob(String bitrate) {
    String user = UUID.randomUUID().toString();
    String job = UUID.randomUUID().toString();
    return new ConversionRequested(ConversionRequested.VERSION, job, user, "victim@example.org", "Victim", null,
        bitrate, Instant.now(), ObjectKeys.upload(user, job), "My Song.wav");
  }

  void publish(ConversionRequested job) throws IOException {
    publishRaw(Json.MESSAGES.writeValueAsBytes(job));
  }

  void publishRaw(byte[] body) throws IOException {
    publishRaw(body, Map.of());
  }

  /** Publishes a job with headers of its own besides the leaky ones (e.g. the gateway's x-mp3-requeued). */
  void publish(ConversionRequested job, Map<String, Object> headers) throws IOException {
    publishRaw(Json.MESSAGES.writeValueAsBytes(job), headers);
  }

  private void publishRaw(byte[] body, Map<String, Object> extra) throws IOException {
    Map<String, Object> headers = new HashMap<>(LEAKY_HEADERS);
    headers.putAll(extra);
    channel.basicPublish(Topology.EXCHANGE, Topology.REQUESTED,
        new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
            .headers(headers).build(),
        body);
  }

  /** All events of one job until its outcome (completed or failed), in the order they were published. */
  List<Event> awaitOutcome(String jobId, Duration timeout) {
    List<Event> events = Awaitility.await().alias("the outcome of job " + jobId).atMost(timeout)
        .pollInterval(Duration.ofMillis(25))
        .until(() -> {
          readTap();
          return List.copyOf(unclaimed.getOrDefault(jobId, List.of()));
        }, seen -> !seen.isEmpty() && !seen.get(seen.size() - 1).routingKey().equals(Topology.STARTED));
    unclaimed.remove(jobId);
    return events;
  }

  /** Sorts every event on the tap by its job. */
  private void readTap() throws IOException {
    GetResponse response;
    while ((response = channel.basicGet(tap, true)) != null) {
      JsonNode body;
      try {
        body = Json.MESSAGES.readTree(response.getBody());
      } catch (IOException notJson) {
        // Tests publish malformed events of their own to the same exchange.
        continue;
      }
      if (body == null || !body.hasNonNull("jobId")) {
        continue;
      }
      unclaimed.computeIfAbsent(body.path("jobId").asText(), id -> new ArrayList<>())
          .add(new Event(response.getEnvelope().getRoutingKey(), body));
    }
  }

  /** A message parked in a dead-letter queue: its body and AMQP headers. */
  record Parked(String body, Map<String, Object> headers) {
    String header(String name) {
      Object value = headers == null ? null : headers.get(name);
      return value == null ? null : value.toString();
    }
  }

  /**
   * Takes messages off a dead-letter queue until one contains {@code marker}; messages parked by other tests of
   * the class are skipped.
   */
  Parked awaitParked(String queue, String marker, Duration timeout) {
    return Awaitility.await().alias("a message containing " + marker + " on " + queue).atMost(timeout)
        .pollInterval(Duration.ofMillis(25))
        .until(() -> takeParked(queue, marker), Optional::isPresent)
        .get();
  }

  private Optional<Parked> takeParked(String queue, String marker) throws IOException {
    GetResponse response;
    while ((response = channel.basicGet(queue, true)) != null) {
      String body = new String(response.getBody(), java.nio.charset.StandardCharsets.UTF_8);
      if (body.contains(marker)) {
        return Optional.of(new Parked(body, response.getProps().getHeaders()));
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() throws IOException, TimeoutException {
    connection.close();
  }
}
