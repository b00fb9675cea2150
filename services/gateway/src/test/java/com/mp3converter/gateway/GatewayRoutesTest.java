package com.mp3converter.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.amqp.AmqpTopology;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionFailed;
import com.mp3converter.shared.messages.ConversionStarted;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.DownloadTokens;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.TestSecrets;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The gateway's routes against real PostgreSQL, real RabbitMQ, an in-process S3 server and a stand-in for auth
 * (its JWKS and its /register and /login), driven over HTTP like a client drives them.
 */
@CamelSpringBootTest
// Tests switch metrics export off unless asked; the prometheus endpoint is part of what is checked here.
@AutoConfigureObservability
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=gateway", "management.server.port=0"})
// The context must not outlive the class's virtual host.
@DirtiesContext
class GatewayRoutesTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final String INTERNAL_TOKEN = TestSecrets.token();
  static final String PUBLIC_URL = "https://mp3.example.test";
  static final byte[] DOWNLOAD_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final String[] QUEUES = Stream.concat(
          AmqpTopology.QUEUES.keySet().stream(), AmqpTopology.QUEUES.keySet().stream().map(AmqpTopology::deadLetterQueue))
      .toArray(String[]::new);

  static final AuthStandIn AUTH = AuthStandIn.start();
  static final LocalS3 S3 = startS3();
  static final String DATABASE = TestDatabase.create("gateway");

  @LocalServerPort
  int port;

  @LocalManagementPort
  int managementPort;

  @Autowired
  RabbitTemplate rabbit;

  @Autowired
  GatewayProperties properties;

  final HttpClient http = HttpClient.newHttpClient();

  static LocalS3 startS3() {
    try {
      return LocalS3.start().createBucket("mp3");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
    registry.add("MP3_AUTH_URL", AUTH::url);
    registry.add("MP3_S3_ENDPOINT", S3::endpoint);
    registry.add("MP3_S3_ACCESS_KEY", S3::accessKey);
    registry.add("MP3_S3_SECRET_KEY", S3::secretKey);
    registry.add("MP3_S3_BUCKET", () -> "mp3");
    registry.add("MP3_INTERNAL_TOKEN", () -> INTERNAL_TOKEN);
    registry.add("MP3_PUBLIC_URL", () -> PUBLIC_URL);
    registry.add("MP3_DOWNLOAD_TOKEN_KEY", () -> Base64.getEncoder().encodeToString(DOWNLOAD_KEY));
    // A small S3 pool, so a download that leaked its connection would soon starve the next ones.
    registry.add("mp3.s3.max-connections", () -> 4);
  }

  @AfterAll
  static void stopDependencies() throws Exception {
    AUTH.close();
    S3.close();
    S3.deleteFolder();
  }

  @BeforeEach
  void purgeQueues() {
    RABBIT.purge(QUEUES);
  }

  // ---------------------------------------------------------------------------------------------- access tokens

  @Test
  void requestsWithoutAValidAccessTokenAre401() throws Exception {
    String user = UUID.randomUUID().toString();
    String expired = AUTH.issuer(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))
        .issue(new AccessClaims(user, "e@example.com", "E", true));
    String body = "{\"url\":\"https://audio.example.com/a.wav\"}";
    for (String authorization : new String[] {null, "Bearer garbage", "Bearer " + expired,
        "Bearer " + AuthStandIn.foreignToken(user), "Basic dXNlcjpwYXNz"}) {
      HttpResponse<String> response = send(post("/conversions", body, authorization));
      assertProblem(response, 401, "/problems/unauthorized");
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(response.headers().firstValue("Authorization")).isEmpty();
    }
    assertThat(send(post("/conversions", body, "Bearer " + expired)).body()).contains("expired");
    assertProblem(send(get("/conversions", null)), 401, "/problems/unauthorized");
    assertProblem(send(get("/conversions/" + UUID.randomUUID(), "Bearer garbage")), 401, "/problems/unauthorized");
    assertThat(RABBIT.messageCount(Topology.WORKER_QUEUE)).isZero();
  }

  // ---------------------------------------------------------------------------------------------- intake

  @Test
  void badConversionRequestsAre400WithTheReason() throws Exception {
    String bearer = bearer(UUID.randomUUID().toString());
    assertProblem(send(post("/conversions", "{\"url\": ", bearer)), 400, "/problems/invalid-json");
    HttpResponse<String> unknown = send(post("/conversions", "{\"url\":\"https://a.example/x.wav\",\"speed\":2}", bearer));
    assertProblem(unknown, 400, "/problems/invalid-json");
    assertThat(unknown.body()).contains("speed");
    assertProblem(send(post("/conversions", "{}", bearer)), 400, "/problems/invalid-url");
    assertProblem(send(post("/conversions", "{\"url\":\"ftp://a.example/x.wav\"}", bearer)), 400, "/problems/invalid-url");
    assertProblem(send(post("/conversions", "{\"url\":\"http://10.0.0.1/x.wav\"}", bearer)), 400, "/problems/invalid-url");
    assertProblem(send(post("/conversions", "{\"url\":42}", bearer)), 400, "/problems/invalid-json");
    assertProblem(send(post("/conversions", "{\"url\":\"https://a.example/x.wav\",\"bitrate\":\"999k\"}", bearer)),
        400, "/problems/invalid-bitrate");
    assertProblem(send(post("/conversions", "", bearer)), 400, "/problems/invalid-json");
    assertThat(RABBIT.messageCount(Topology.WORKER_QUEUE)).isZero();
  }

  @Test
  void bodiesOver16KbAre413WhetherDeclaredOrChunked() throws Exception {
    String bearer = bearer(UUID.randomUUID().toString());
    String big = "{\"url\":\"https://a.example/" + "a".repeat(20_000) + "\"}";
    assertProblem(send(post("/conversions", big, bearer)), 413, "/problems/payload-too-large");

    // Chunked, without a length: the gateway stops reading just past the limit and still answers 413. (Kept under
    // Tomcat's 2 MB swallow limit: past it Tomcat resets the connection of a client that is still sending.)
    byte[] huge = new byte[1024 * 1024];
    Arrays.fill(huge, (byte) 'a');
    HttpRequest chunked = HttpRequest.newBuilder(uri("/conversions"))
        .header("Authorization", bearer).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
        .build();
    assertProblem(send(chunked), 413, "/problems/payload-too-large");
    assertProblem(send(post("/auth/register", big, null)), 413, "/problems/payload-too-large");
  }

  @Test
  void aJobIsConfirmedByTheBrokerBeforeThe202() throws Exception {
    String user = UUID.randomUUID().toString();
    HttpRequest request = HttpRequest.newBuilder(uri("/conversions"))
        .header("Authorization", bearer(user))
        .header("Content-Type", "application/json")
        .header("X-Custom", "do-not-echo")
        .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"https://audio.example.com/music/take%201.flac\",\"bitrate\":\"v0\"}"))
        .build();
    HttpResponse<String> response = send(request);

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode accepted = json(response);
    String id = accepted.get("id").asText();
    assertThat(accepted.get("status").asText()).isEqualTo("queued");
    assertThat(response.headers().firstValue("Location")).contains("/conversions/" + id);
    assertThat(response.headers().firstValue("X-Custom")).isEmpty();
    assertThat(response.headers().firstValue("Authorization")).isEmpty();

    Message message = receiveJob(id);
    assertThat(message.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
    assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
    // Nothing of the HTTP request travels with the job.
    assertThat(message.getMessageProperties().getHeaders()).doesNotContainKeys("Authorization", "X-Custom", "authorization");
    JsonNode job = Json.MESSAGES.readTree(message.getBody());
    assertThat(job.get("v").asInt()).isEqualTo(1);
    assertThat(job.get("userId").asText()).isEqualTo(user);
    assertThat(job.get("email").asText()).isEqualTo(user + "@example.com");
    assertThat(job.get("name").asText()).isEqualTo("User " + user);
    assertThat(job.get("sourceUrl").asText()).isEqualTo("https://audio.example.com/music/take%201.flac");
    assertThat(job.get("bitrate").asText()).isEqualTo("v0");
    Instant requestedAt = Instant.parse(job.get("requestedAt").asText());

    JsonNode view = json(send(get("/conversions/" + id, bearer(user))));
    assertThat(view.get("status").asText()).isEqualTo("queued");
    assertThat(view.get("sourceUrl").asText()).isEqualTo("https://audio.example.com/music/take%201.flac");
    assertThat(view.get("bitrate").asText()).isEqualTo("v0");
    assertThat(Instant.parse(view.get("createdAt").asText())).isEqualTo(requestedAt);
    assertThat(view.has("error")).isFalse();
  }

  // ---------------------------------------------------------------------------------------------- status

  @Test
  void statusEventsMoveAJobForwardOnly() throws Exception {
    String user = UUID.randomUUID().toString();
    String id = submit(user, "https://audio.example.com/a.wav");
    String other = submit(user, "https://audio.example.com/b.wav");

    publishAndAwait(user, id, "processing", Topology.STARTED, new ConversionStarted(1, id, user, Instant.now()));

    JsonNode done = publishAndAwait(user, id, "completed", Topology.COMPLETED, completed(id, user, 123_456, 61.25));
    assertThat(done.get("bytes").asLong()).isEqualTo(123_456);
    assertThat(done.get("durationSeconds").asDouble()).isEqualTo(61.25);

    // A late started and a duplicate failed for the finished job, then a marker event for another job. Events
    // are applied in order, so once the marker shows, the late ones have been handled: they changed nothing.
    publish(Topology.STARTED, new ConversionStarted(1, id, user, Instant.now()));
    publish(Topology.FAILED, new ConversionFailed(1, id, user, "e", "n", "timeout", "late", Instant.now()));
    publishAndAwait(user, other, "processing", Topology.STARTED, new ConversionStarted(1, other, user, Instant.now()));
    JsonNode still = json(send(get("/conversions/" + id, bearer(user))));
    assertThat(still.get("status").asText()).isEqualTo("completed");
    assertThat(still.has("error")).isFalse();

    JsonNode failed = publishAndAwait(user, other, "failed", Topology.FAILED, new ConversionFailed(1, other, user, "e",
        "n", "not_audio", "The file is not an audio file we can read.", Instant.now()));
    assertThat(failed.get("error").get("reason").asText()).isEqualTo("not_audio");
    assertThat(failed.get("error").get("message").asText()).isEqualTo("The file is not an audio file we can read.");
    assertThat(failed.has("bytes")).isFalse();
    assertThat(RABBIT.messageCount(Topology.GATEWAY_STATUS_QUEUE)).isZero();
  }

  @Test
  void statusEventsThatCanNeverBeAppliedGoToTheDeadLetterQueue() {
    RABBIT.publish(Topology.EXCHANGE, Topology.STARTED, "this is not json");
    String dead = RABBIT.await(AmqpTopology.deadLetterQueue(Topology.GATEWAY_STATUS_QUEUE), Duration.ofSeconds(10));
    assertThat(dead).isEqualTo("this is not json");
  }

  // ---------------------------------------------------------------------------------------------- reading jobs

  @Test
  void anotherUsersJobLooksLikeNoJobAtAll() throws Exception {
    String owner = UUID.randomUUID().toString();
    String id = submit(owner, "https://audio.example.com/a.wav");
    String stranger = bearer(UUID.randomUUID().toString());

    HttpResponse<String> foreign = send(get("/conversions/" + id, stranger));
    HttpResponse<String> unknown = send(get("/conversions/" + UUID.randomUUID(), stranger));
    assertProblem(foreign, 404, "/problems/not-found");
    assertProblem(unknown, 404, "/problems/not-found");
    assertThat(foreign.body()).isEqualTo(unknown.body());
    assertProblem(send(get("/conversions/not-a-job-id", stranger)), 404, "/problems/not-found");
    assertThat(send(get("/conversions/" + id, bearer(owner))).statusCode()).isEqualTo(200);
  }

  @Test
  void listsTheCallersJobsNewestFirstInPages() throws Exception {
    String user = UUID.randomUUID().toString();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(submit(user, "https://audio.example.com/" + i + ".wav"));
    }
    submit(UUID.randomUUID().toString(), "https://audio.example.com/someone-else.wav");

    JsonNode first = json(send(get("/conversions?limit=2", bearer(user))));
    assertThat(first.get("items")).hasSize(2);
    assertThat(first.get("items").get(0).get("id").asText()).isEqualTo(ids.get(2));
    assertThat(first.get("items").get(1).get("id").asText()).isEqualTo(ids.get(1));
    assertThat(first.get("items").get(0).get("status").asText()).isEqualTo("queued");
    String next = first.get("next").asText();

    JsonNode second = json(send(get("/conversions?limit=2&cursor=" + next, bearer(user))));
    assertThat(second.get("items")).hasSize(1);
    assertThat(second.get("items").get(0).get("id").asText()).isEqualTo(ids.get(0));
    assertThat(second.get("next").isNull()).isTrue();

    JsonNode all = json(send(get("/conversions", bearer(user))));
    assertThat(all.get("items")).hasSize(3);

    assertProblem(send(get("/conversions?limit=0", bearer(user))), 400, "/problems/invalid-limit");
    assertProblem(send(get("/conversions?limit=many", bearer(user))), 400, "/problems/invalid-limit");
    assertProblem(send(get("/conversions?cursor=bogus", bearer(user))), 400, "/problems/invalid-cursor");
    assertThat(json(send(get("/conversions", bearer(UUID.randomUUID().toString())))).get("items")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------- links

  @Test
  void downloadLinksNeedTheServiceCredentialAndACompletedJob() throws Exception {
    String user = UUID.randomUUID().toString();
    String queued = submit(user, "https://audio.example.com/q.wav");
    String done = completedJob(user, "https://audio.example.com/d.wav", new byte[10]);
    String body = "{\"conversionId\":\"" + done + "\"}";

    assertProblem(send(post("/internal/download-links", body, null)), 401, "/problems/unauthorized");
    assertProblem(send(post("/internal/download-links", body, "Bearer wrong-token")), 401, "/problems/unauthorized");
    assertProblem(send(post("/internal/download-links", body, bearer(user))), 401, "/problems/unauthorized");

    String service = "Bearer " + INTERNAL_TOKEN;
    assertProblem(send(post("/internal/download-links", "{\"conversionId\":\"" + UUID.randomUUID() + "\"}", service)),
        404, "/problems/not-found");
    assertProblem(send(post("/internal/download-links", "{\"conversionId\":\"" + queued + "\"}", service)),
        409, "/problems/not-completed");
    assertProblem(send(post("/internal/download-links", "{\"conversionId\":\"x\"}", service)),
        400, "/problems/invalid-conversion-id");

    HttpResponse<String> ok = send(post("/internal/download-links", body, service));
    assertThat(ok.statusCode()).isEqualTo(200);
    JsonNode link = json(ok);
    assertThat(link.get("url").asText()).startsWith(PUBLIC_URL + "/downloads/");
    assertThat(Instant.parse(link.get("expiresAt").asText()))
        .isBetween(Instant.now().plus(Duration.ofDays(7)).minusSeconds(60), Instant.now().plus(Duration.ofDays(7)));
  }

  // ---------------------------------------------------------------------------------------------- downloads

  @Test
  void downloadsStreamTheStoredMp3WithRanges() throws Exception {
    String user = UUID.randomUUID().toString();
    byte[] mp3 = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(mp3);
    String id = completedJob(user, "https://audio.example.com/albums/My%20Song%20(live).wav", mp3);
    String path = "/downloads/" + link(id);

    HttpResponse<InputStream> whole = http.send(get(path, null), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("Content-Type")).contains("audio/mpeg");
    assertThat(whole.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"My_Song_live.mp3\"");
    assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
    assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(mp3.length);
    assertThat(whole.headers().firstValue("Transfer-Encoding")).isEmpty();
    assertThat(whole.headers().firstValue("Cache-Control")).contains("private, no-store");
    try (InputStream in = whole.body()) {
      assertThat(sha256(in.readAllBytes())).isEqualTo(sha256(mp3));
    }

    HttpResponse<byte[]> middle = sendBytes(range(path, "bytes=100-199"));
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 100-199/" + mp3.length);
    assertThat(middle.headers().firstValueAsLong("Content-Length")).hasValue(100);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(mp3, 100, 200));

    HttpResponse<byte[]> tail = sendBytes(range(path, "bytes=-10"));
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(mp3, mp3.length - 10, mp3.length));

    HttpResponse<byte[]> open = sendBytes(range(path, "bytes=" + (mp3.length - 5) + "-"));
    assertThat(open.headers().firstValue("Content-Range"))
        .contains("bytes " + (mp3.length - 5) + "-" + (mp3.length - 1) + "/" + mp3.length);
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(mp3, mp3.length - 5, mp3.length));

    HttpResponse<String> outside = send(range(path, "bytes=" + mp3.length + "-"));
    assertProblem(outside, 416, "/problems/range-not-satisfiable");
    assertThat(outside.headers().firstValue("Content-Range")).contains("bytes */" + mp3.length);

    // Several ranges are not served: the whole file instead, as RFC 9110 allows.
    HttpResponse<byte[]> multi = sendBytes(range(path, "bytes=0-1,5-6"));
    assertThat(multi.statusCode()).isEqualTo(200);
    assertThat(multi.body()).hasSize(mp3.length);
  }

  @Test
  void clientsThatHangUpMidFileGiveTheS3ConnectionBack() throws Exception {
    String user = UUID.randomUUID().toString();
    byte[] mp3 = new byte[16 * 1024 * 1024];
    new Random(11).nextBytes(mp3);
    String path = "/downloads/" + link(completedJob(user, "https://audio.example.com/long.wav", mp3));

    assertThat(properties.s3().maxConnections()).isEqualTo(4);
    // Three times the pool: each client reads the head of the response, then resets the connection while the
    // gateway is still streaming. A small receive window keeps the socket buffers from swallowing the whole file,
    // so most of it is still to come from S3 when the client goes.
    for (int i = 0; i < 12; i++) {
      try (Socket socket = new Socket()) {
        socket.setReceiveBufferSize(8192);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        byte[] head = socket.getInputStream().readNBytes(1024);
        assertThat(new String(head, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        socket.setSoLinger(true, 0);
      }
    }
    HttpResponse<byte[]> complete = http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(complete.statusCode()).as("a download after the aborted ones").isEqualTo(200);
    assertThat(sha256(complete.body())).isEqualTo(sha256(mp3));
  }

  @Test
  void badExpiredForeignAndDanglingDownloadLinks() throws Exception {
    String user = UUID.randomUUID().toString();
    String id = completedJob(user, "https://audio.example.com/x.wav", new byte[] {1, 2, 3});
    String token = link(id);

    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
    assertProblem(send(get("/downloads/" + tampered, null)), 403, "/problems/invalid-download-token");
    assertProblem(send(get("/downloads/not-a-token", null)), 403, "/problems/invalid-download-token");

    DownloadTokens gatewayKeyLastWeek = new DownloadTokens(DOWNLOAD_KEY, "mp3-converter-gateway",
        "mp3-converter-download", Duration.ofDays(7), Clock.offset(Clock.systemUTC(), Duration.ofDays(-8)));
    assertProblem(send(get("/downloads/" + gatewayKeyLastWeek.issue(id, user).token(), null)), 410,
        "/problems/download-expired");

    DownloadTokens gatewayKey = new DownloadTokens(DOWNLOAD_KEY, "mp3-converter-gateway",
        "mp3-converter-download", Duration.ofDays(7), Clock.systemUTC());
    // A genuine token naming the job with another user: the job is not that user's.
    assertProblem(send(get("/downloads/" + gatewayKey.issue(id, UUID.randomUUID().toString()).token(), null)), 404,
        "/problems/not-found");

    // Completed, but the object is gone from the store.
    String gone = completedJob(user, "https://audio.example.com/gone.wav", null);
    assertProblem(send(get("/downloads/" + gatewayKey.issue(gone, user).token(), null)), 404, "/problems/not-found");

    assertThat(sendBytes(get("/downloads/" + token, null)).body()).isEqualTo(new byte[] {1, 2, 3});
  }

  // ---------------------------------------------------------------------------------------------- auth

  @Test
  void authRequestsCarryOnlyTheBodyItsTypeAndTheClientAddress() throws Exception {
    AUTH.received.clear();
    String registration = "{\"email\":\"a@example.com\",\"password\":\"correct horse battery\",\"name\":\"A\"}";
    HttpRequest register = HttpRequest.newBuilder(uri("/auth/register"))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer client-secret")
        .header("Cookie", "session=abc")
        .header("X-Custom", "private")
        .POST(HttpRequest.BodyPublishers.ofString(registration))
        .build();
    HttpResponse<String> created = send(register);

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(json(created).get("email").asText()).isEqualTo("a@example.com");
    assertThat(created.headers().firstValue("X-Auth-Internal")).isEmpty();
    assertThat(created.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(created.headers().firstValue("X-Custom")).isEmpty();

    AuthStandIn.Received received = AUTH.received.get(0);
    assertThat(received.path()).isEqualTo("/register");
    assertThat(received.body()).isEqualTo(registration);
    assertThat(header(received, "Content-Type")).startsWith("application/json");
    assertThat(header(received, "X-Forwarded-For")).isEqualTo("127.0.0.1");
    for (String leaked : List.of("Authorization", "Cookie", "X-Custom")) {
      assertThat(header(received, leaked)).as(leaked).isNull();
    }
    assertThat(received.headers().keySet()).noneMatch(name -> name.toLowerCase().startsWith("camel"));

    HttpResponse<String> throttled = send(post("/auth/login", "{\"email\":\"a@example.com\",\"password\":\"x\"}", null));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).contains("30");
    assertThat(throttled.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(throttled.headers().firstValue("X-Auth-Internal")).isEmpty();
    assertThat(AUTH.received.get(1).path()).isEqualTo("/login");
  }

  @Test
  void theApiDescribesItself() throws Exception {
    HttpResponse<String> response = send(get("/openapi.json", null));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode paths = json(response).get("paths");
    assertThat(paths.has("/conversions")).isTrue();
    assertThat(paths.has("/conversions/{id}")).isTrue();
    assertThat(paths.has("/conversions/{id}/mp3")).isTrue();
    assertThat(paths.has("/downloads/{token}")).isTrue();
    assertThat(paths.has("/auth/login")).isTrue();
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(paths.properties()).as("the internal API is not public").noneMatch(p -> p.getKey().startsWith("/internal"));
  }

  @Test
  void managementAnswersOnItsOwnPort() throws Exception {
    for (String path : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus")) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + managementPort + path)).GET().build());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
    }
    assertThat(send(get("/actuator/health", null)).statusCode()).as("not on the API port").isEqualTo(404);
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /**
   * This job's message from worker.conversions. The broker is shared with other modules' tests, which may put
   * their own jobs on the queue at any time; those are skipped.
   */
  private Message receiveJob(String id) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Message message = rabbit.receive(Topology.WORKER_QUEUE, 1000);
      if (message != null && id.equals(Json.MESSAGES.readTree(message.getBody()).path("jobId").asText())) {
        return message;
      }
    }
    throw new AssertionError("job " + id + " never reached " + Topology.WORKER_QUEUE);
  }

  private String submit(String user, String url) throws IOException, InterruptedException {
    HttpResponse<String> response = send(post("/conversions", "{\"url\":\"" + url + "\"}", bearer(user)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json(response).get("id").asText();
  }

  /** A job that reached completed through a real status event; its MP3 stored unless {@code mp3} is null. */
  private String completedJob(String user, String url, byte[] mp3) throws Exception {
    String id = submit(user, url);
    if (mp3 != null) {
      try (var s3 = S3.client()) {
        s3.putObject(b -> b.bucket("mp3").key(ObjectKeys.output(user, id, OutputFormat.MP3)),
            RequestBody.fromBytes(mp3));
      }
    }
    publishAndAwait(user, id, "completed", Topology.COMPLETED, completed(id, user, mp3 == null ? 0 : mp3.length, 1.0));
    return id;
  }

  private String link(String id) throws Exception {
    JsonNode link = json(send(post("/internal/download-links", "{\"conversionId\":\"" + id + "\"}",
        "Bearer " + INTERNAL_TOKEN)));
    String url = link.get("url").asText();
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private static ConversionCompleted completed(String id, String user, long bytes, double seconds) {
    return new ConversionCompleted(1, id, user, "e@example.com", "E", ObjectKeys.output(user, id, OutputFormat.MP3),
        bytes, seconds, Instant.now());
  }

  private static void publish(String routingKey, Object event) throws IOException {
    RABBIT.publish(Topology.EXCHANGE, routingKey, Json.MESSAGES.writeValueAsString(event));
  }

  /**
   * Publishes the event once (the class's virtual host is its own: no other gateway takes it) and waits until
   * the job shows {@code status}; answers the job's view then.
   */
  private JsonNode publishAndAwait(String user, String id, String status, String routingKey, Object event)
      throws Exception {
    publish(routingKey, event);
    return await().alias("job " + id + " becomes " + status).atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> json(send(get("/conversions/" + id, bearer(user)))),
            view -> status.equals(view.get("status").asText()));
  }

  private String bearer(String user) {
    return "Bearer " + AUTH.token(user);
  }

  private static String header(AuthStandIn.Received received, String name) {
    return received.headers().entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(e -> e.getValue().get(0))
        .findFirst().orElse(null);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpRequest post(String path, String body, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  private HttpRequest get(String path, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).GET();
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  private HttpRequest range(String path, String range) {
    return HttpRequest.newBuilder(uri(path)).header("Range", range).GET().build();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> sendBytes(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return Json.MESSAGES.readTree(response.body());
  }

  static void assertProblem(HttpResponse<String> response, int status, String type) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = Json.MESSAGES.readTree(response.body());
    assertThat(problem.get("type").asText()).isEqualTo(type);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
