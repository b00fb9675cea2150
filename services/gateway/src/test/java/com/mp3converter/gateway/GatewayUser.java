package com.mp3converter.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * One user of a running gateway, calling it over HTTP the way a client does (their access token from the
 * {@link AuthStandIn}), and the worker's side of their jobs: an MP3 put into S3 and a real
 * {@code conversion.completed} event on the class's virtual host.
 */
final class GatewayUser {
  final String id = UUID.randomUUID().toString();
  private final int port;
  private final AuthStandIn auth;
  private final HttpClient http = HttpClient.newHttpClient();

  GatewayUser(int port, AuthStandIn auth) {
    this.port = port;
    this.auth = auth;
  }

  String bearer() {
    return "Bearer " + auth.token(id);
  }

  /** Submits a job for {@code url}; answers its id. */
  String submit(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/conversions"))
        .header("Authorization", bearer()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}")).build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json(response).get("id").asText();
  }

  /** A job of this user's that the worker completed: its MP3 stored in {@code s3}, its event published. */
  String completedJob(String url, byte[] mp3, LocalS3 s3, RabbitVirtualHost rabbit) throws Exception {
    return completedJob(url, mp3, null, s3, rabbit);
  }

  /** Like {@link #completedJob(String, byte[], LocalS3, RabbitVirtualHost)}, the event naming the file. */
  String completedJob(String url, byte[] mp3, String filename, LocalS3 s3, RabbitVirtualHost rabbit) throws Exception {
    String job = submit(url);
    String key = ObjectKeys.output(id, job, OutputFormat.MP3);
    try (var client = s3.client()) {
      client.putObject(b -> b.bucket("mp3").key(key), RequestBody.fromBytes(mp3));
    }
    rabbit.publish(Topology.EXCHANGE, Topology.COMPLETED, Json.MESSAGES.writeValueAsString(new ConversionCompleted(
        1, job, id, id + "@example.com", "User", key, mp3.length, 12.5, Instant.now(), filename)));
    await().alias("job " + job + " completes").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> status(job).path("status").asText(), "completed"::equals);
    return job;
  }

  /** The job's status document ({@code GET /conversions/{id}}). */
  JsonNode status(String job) throws IOException, InterruptedException {
    HttpResponse<String> response = send(get("/conversions/" + job));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  /** {@code GET path} with this user's access token. */
  HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", bearer()).GET().build();
  }

  /** {@code GET path} with this user's access token and a Range header. */
  HttpRequest range(String path, String range) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", bearer()).header("Range", range).GET().build();
  }

  /** {@code GET path} with the given Authorization header, or none. */
  HttpRequest getAs(String path, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).GET();
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> sendBytes(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return Json.MESSAGES.readTree(response.body());
  }
}
