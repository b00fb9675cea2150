package com.mp3converter.gateway;

import static com.mp3converter.gateway.GatewayRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Uploads ({@code POST /conversions} as multipart/form-data) and {@code Idempotency-Key} against real PostgreSQL,
 * RabbitMQ and an in-process S3 server, called over HTTP like curl -F: the file lands in S3 under
 * uploads/{userId}/{jobId}, the job message names that key, a body over the limit is refused before anything is
 * stored, and a repeated key answers the first job without a second one.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=gateway", "management.server.port=0"})
@DirtiesContext
class UploadRoutesTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final LocalS3 S3 = UploadTestSupport.startS3();
  static final String DATABASE = TestDatabase.create("gateway_uploads");
  /** MP3_MAX_UPLOAD_BYTES in this class: 1 MB. */
  static final long MAX_UPLOAD = 1024 * 1024;

  @LocalServerPort
  int port;

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  MeterRegistry meters;

  final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    UploadTestSupport.properties(registry, DATABASE, RABBIT, AUTH, S3);
    registry.add("MP3_MAX_UPLOAD_BYTES", () -> String.valueOf(MAX_UPLOAD));
  }

  @AfterAll
  static void stopDependencies() throws Exception {
    AUTH.close();
    S3.close();
    S3.deleteFolder();
  }

  @Test
  void anUploadIsStoredInS3AndItsJobPublishedWithTheKey() throws Exception {
    GatewayUser user = new GatewayUser(port, AUTH);
    byte[] wav = UploadTestSupport.sineWav(1.0);
    MultipartBody body = new MultipartBody().file("file", "My Song.wav", wav).field("bitrate", "320k");

    HttpResponse<String> response = http.send(UploadTestSupport.post(port, user, body.contentType(), body.bytes(), null),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String job = Json.MESSAGES.readTree(response.body()).get("id").asText();
    assertThat(response.headers().firstValue("Location")).contains("/conversions/" + job);
    ConversionRequested message = Json.MESSAGES.readValue(
        RABBIT.await(Topology.WORKER_QUEUE, Duration.ofSeconds(10)), ConversionRequested.class);
    assertThat(message.jobId()).isEqualTo(job);
    assertThat(message.sourceUrl()).isNull();
    assertThat(message.sourceObjectKey()).isEqualTo(ObjectKeys.upload(user.id, job)).startsWith("uploads/" + user.id);
    assertThat(message.sourceFilename()).isEqualTo("My Song.wav");
    assertThat(message.bitrate()).isEqualTo("320k");
    try (var s3 = S3.client()) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket("mp3").key(message.sourceObjectKey())).asByteArray()).isEqualTo(wav);
    }

    JsonNode status = user.status(job);
    assertThat(status.get("status").asText()).isEqualTo("queued");
    assertThat(status.get("source").get("type").asText()).isEqualTo("upload");
    assertThat(status.get("source").get("filename").asText()).isEqualTo("My Song.wav");
    assertThat(status.get("bitrate").asText()).isEqualTo("320k");
  }

  @Test
  void aCompletedUploadJobHasItsDownload() throws Exception {
    GatewayUser user = new GatewayUser(port, AUTH);
    MultipartBody body = new MultipartBody().file("file", "Night Drive.wav", UploadTestSupport.sineWav(0.3));
    HttpResponse<String> response = http.send(UploadTestSupport.post(port, user, body.contentType(), body.bytes(), null),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String job = Json.MESSAGES.readTree(response.body()).get("id").asText();
    RABBIT.purge(Topology.WORKER_QUEUE);
    byte[] mp3 = new byte[2048];
    String key = ObjectKeys.output(user.id, job, OutputFormat.MP3);
    try (var s3 = S3.client()) {
      s3.putObject(b -> b.bucket("mp3").key(key), RequestBody.fromBytes(mp3));
    }
    RABBIT.publish(Topology.EXCHANGE, Topology.COMPLETED, Json.MESSAGES.writeValueAsString(new ConversionCompleted(
        1, job, user.id, "u@example.com", "U", key, mp3.length, 0.3, Instant.now())));
    await().atMost(Duration.ofSeconds(20)).until(() -> user.status(job).path("status").asText(), "completed"::equals);

    JsonNode status = user.status(job);
    assertThat(status.get("source").get("filename").asText()).isEqualTo("Night Drive.wav");
    assertThat(status.get("download").get("filename").asText()).endsWith(".mp3");
    HttpResponse<byte[]> download = user.sendBytes(user.get("/conversions/" + job + "/mp3"));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(mp3);
  }

  @Test
  void aUrlJobsStatusNamesItsUrlAsSource() throws Exception {
    GatewayUser user = new GatewayUser(port, AUTH);
    String job = user.submit("https://audio.example.com/a.wav");
    JsonNode source = user.status(job).get("source");
    assertThat(source.get("type").asText()).isEqualTo("url");
    assertThat(source.get("url").asText()).isEqualTo("https://audio.example.com/a.wav");
    RABBIT.purge(Topology.WORKER_QUEUE);
  }

  @Test
  void anUploadOverTheLimitIs413BeforeAnythingIsStored() throws Exception {
    GatewayUser user = new GatewayUser(port, AUTH);
    byte[] wav = UploadTestSupport.sineWav(1.0);
    byte[] large = new byte[(int) MAX_UPLOAD + 1];
    System.arraycopy(wav, 0, large, 0, wav.length);
    MultipartBody body = new MultipartBody().file("file", "big.wav", large);

    HttpResponse<String> response = http.send(UploadTestSupport.post(port, user, body.contentType(), body.bytes(), null),
        HttpResponse.BodyHandlers.ofString());

    assertProblem(response, 413, "/problems/upload-too-large");
    assertThat(UploadTestSupport.uploadsOf(S3, user)).isEmpty();
    assertThat(jdbc.queryForObject("SELECT count(*) FROM conversions WHERE user_id = ?::uuid", Long.class, user.id))
        .isZero();
  }

  @Test
  void theSameIdempotencyKeyAndBodyAnswerTheFirstJobAndAnotherBodyIs422() throws Exception {
    GatewayUser user = new GatewayUser(port, AUTH);
    String key = UUID.randomUUID().toString();
    double acceptedBefore = accepted();
    HttpResponse<String> first = http.send(json(user, "{\"url\":\"https://audio.example.com/k.wav\"}", key),
        HttpResponse.BodyHandlers.ofString());
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String job = Json.MESSAGES.readTree(first.body()).get("id").asText();

    // Same request, other spelling (whitespace, default bitrate named): the same normalized body.
    HttpResponse<String> again = http.send(
        json(user, " { \"bitrate\": \"192k\", \"url\": \"https://audio.example.com/k.wav\" } ", key),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    JsonNode document = Json.MESSAGES.readTree(again.body());
    assertThat(document.get("id").asText()).isEqualTo(job);
    assertThat(document.get("status").asText()).isEqualTo("queued");
    assertThat(again.headers().firstValue("Location")).contains("/conversions/" + job);
    assertThat(accepted()).as("a replay is not a new accepted job").isEqualTo(acceptedBefore + 1);

    HttpResponse<String> other = http.send(json(user, "{\"url\":\"https://audio.example.com/other.wav\"}", key),
        HttpResponse.BodyHandlers.ofString());
    assertProblem(other, 422, "/problems/idempotency-key-reused");

    // The key is the user's: another user's same key is a new job.
    GatewayUser someoneElse = new GatewayUser(port, AUTH);
    HttpResponse<String> theirs = http.send(json(someoneElse, "{\"url\":\"https://audio.example.com/k.wav\"}", key),
        HttpResponse.BodyHandlers.ofString());
    assertThat(theirs.statusCode()).isEqualTo(202);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM conversions WHERE user_id = ?::uuid", Long.class, user.id))
        .isEqualTo(1);
    RABBIT.purge(Topology.WORKER_QUEUE);
  }

  @Test
  void anUploadWithAnIdempotencyKeyIsStoredOnceAndAnsweredAgain() throws Exception {
    GatewayUser user = new GatewayUser(port, AUTH);
    String key = "upload-" + UUID.randomUUID();
    byte[] wav = UploadTestSupport.sineWav(0.5);
    MultipartBody body = new MultipartBody().file("file", "take.wav", wav);

    HttpResponse<String> first = http.send(UploadTestSupport.post(port, user, body.contentType(), body.bytes(), key),
        HttpResponse.BodyHandlers.ofString());
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String job = Json.MESSAGES.readTree(first.body()).get("id").asText();
    MultipartBody same = new MultipartBody().file("file", "take.wav", wav);
    HttpResponse<String> again = http.send(UploadTestSupport.post(port, user, same.contentType(), same.bytes(), key),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(Json.MESSAGES.readTree(again.body()).get("id").asText()).isEqualTo(job);
    assertThat(UploadTestSupport.uploadsOf(S3, user)).containsExactly(ObjectKeys.upload(user.id, job));

    byte[] otherWav = UploadTestSupport.sineWav(0.7);
    MultipartBody other = new MultipartBody().file("file", "take.wav", otherWav);
    assertProblem(http.send(UploadTestSupport.post(port, user, other.contentType(), other.bytes(), key),
        HttpResponse.BodyHandlers.ofString()), 422, "/problems/idempotency-key-reused");
    assertThat(UploadTestSupport.uploadsOf(S3, user)).hasSize(1);
    RABBIT.purge(Topology.WORKER_QUEUE);
  }

  double accepted() {
    return meters.get("mp3.jobs.accepted").counter().count();
  }

  HttpRequest json(GatewayUser user, String body, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/conversions"))
        .header("Authorization", user.bearer()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    return request.build();
  }
}
