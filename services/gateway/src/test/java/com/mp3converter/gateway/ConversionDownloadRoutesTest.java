package com.mp3converter.gateway;

import static com.mp3converter.gateway.GatewayRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionFailed;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
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
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A completed job's MP3 through the API ({@code download} in its status document, {@code GET /conversions/{id}/mp3}
 * with the user's access token) and the retention of finished jobs, against real PostgreSQL, RabbitMQ and an
 * in-process S3 server, called over HTTP like a client calls it. The retention sweep's timer is set past the
 * test's length; the tests run a sweep themselves (direct:gateway-retention-sweep), so an expired job stays
 * until they do.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=gateway", "management.server.port=0", "mp3.retention.interval-ms=3600000"})
// The context must not outlive the class's virtual host.
@DirtiesContext
class ConversionDownloadRoutesTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final String PUBLIC_URL = "https://mp3.example.test";
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final LocalS3 S3 = startS3();
  static final String DATABASE = TestDatabase.create("gateway_downloads");

  @LocalServerPort
  int port;

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  ProducerTemplate camel;

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
    registry.add("MP3_INTERNAL_TOKEN", TestSecrets::token);
    registry.add("MP3_S3_ENDPOINT", S3::endpoint);
    registry.add("MP3_S3_ACCESS_KEY", S3::accessKey);
    registry.add("MP3_S3_SECRET_KEY", S3::secretKey);
    registry.add("MP3_S3_BUCKET", () -> "mp3");
    registry.add("MP3_PUBLIC_URL", () -> PUBLIC_URL);
    registry.add("MP3_DOWNLOAD_TOKEN_KEY", () -> Base64.getEncoder().encodeToString(new byte[32]));
    registry.add("MP3_RETENTION", () -> "3d");
  }

  @AfterAll
  static void stopDependencies() throws Exception {
    AUTH.close();
    S3.close();
    S3.deleteFolder();
  }

  GatewayUser user() {
    return new GatewayUser(port, AUTH);
  }

  static byte[] mp3(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  // ---------------------------------------------------------------------------------------------- status document

  @Test
  void aCompletedJobsStatusDocumentCarriesItsDownloadAndExpiry() throws Exception {
    GatewayUser user = user();
    byte[] mp3 = mp3(4096, 1);
    Instant before = Instant.now();
    String job = user.completedJob("https://audio.example.com/albums/Night%20Drive.flac", mp3, S3, RABBIT);

    JsonNode status = user.status(job);
    Instant expiresAt = Instant.parse(status.get("expiresAt").asText());
    // MP3_RETENTION=3d: kept three days from completion.
    assertThat(expiresAt).isBetween(before.plus(Duration.ofDays(3)), Instant.now().plus(Duration.ofDays(3)));
    JsonNode download = status.get("download");
    assertThat(download.get("bytes").asLong()).isEqualTo(mp3.length);
    assertThat(download.get("durationSeconds").asDouble()).isEqualTo(12.5);
    assertThat(download.get("filename").asText()).isEqualTo("Night_Drive.mp3");
    // The link expires with the file (whole seconds, as the token carries them).
    assertThat(Instant.parse(download.get("expiresAt").asText())).isEqualTo(expiresAt.truncatedTo(ChronoUnit.SECONDS));
    String url = download.get("url").asText();
    assertThat(url).startsWith(PUBLIC_URL + "/downloads/");

    // The signed URL works without the access token, like the email's link.
    HttpResponse<byte[]> viaLink = user.sendBytes(user.getAs(url.substring(PUBLIC_URL.length()), null));
    assertThat(viaLink.statusCode()).isEqualTo(200);
    assertThat(viaLink.body()).isEqualTo(mp3);

    // The list shows the same document.
    JsonNode item = GatewayUser.json(user.send(user.get("/conversions"))).get("items").get(0);
    assertThat(item.get("id").asText()).isEqualTo(job);
    assertThat(item.get("download").get("filename").asText()).isEqualTo("Night_Drive.mp3");
  }

  @Test
  void theFileIsOfferedUnderTheNameTheWorkerChoseFromItsTitle() throws Exception {
    GatewayUser user = user();
    String job = user.completedJob("https://audio.example.com/track01.flac", mp3(1024, 5), "Fur_Elise.mp3", S3, RABBIT);

    assertThat(user.status(job).get("download").get("filename").asText()).isEqualTo("Fur_Elise.mp3");
    HttpResponse<byte[]> file = user.sendBytes(user.get("/conversions/" + job + "/mp3"));
    assertThat(file.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"Fur_Elise.mp3\"");
  }

  @Test
  void aNameInTheEventThatTheRuleCouldNotHaveMadeIsIgnored() throws Exception {
    GatewayUser user = user();
    String job = user.completedJob("https://audio.example.com/track01.flac", mp3(1024, 6), "../x\"\r\nSet-Cookie: a=b.mp3",
        S3, RABBIT);

    assertThat(user.status(job).get("download").get("filename").asText()).isEqualTo("track01.mp3");
    HttpResponse<byte[]> file = user.sendBytes(user.get("/conversions/" + job + "/mp3"));
    assertThat(file.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"track01.mp3\"");
    assertThat(file.headers().map()).doesNotContainKey("Set-Cookie");
  }

  @Test
  void unfinishedAndFailedJobsHaveNoDownload() throws Exception {
    GatewayUser user = user();
    String queued = user.submit("https://audio.example.com/q.wav");
    assertThat(user.status(queued).has("download")).isFalse();
    assertThat(user.status(queued).has("expiresAt")).isFalse();
    assertProblem(user.send(user.get("/conversions/" + queued + "/mp3")), 404, "/problems/not-found");

    String failing = user.submit("https://audio.example.com/f.wav");
    RABBIT.publish(Topology.EXCHANGE, Topology.FAILED, Json.MESSAGES.writeValueAsString(new ConversionFailed(
        1, failing, user.id, "e@example.com", "E", "not_audio", "Not audio.", Instant.now())));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> user.status(failing).path("status").asText(), "failed"::equals);
    JsonNode failed = user.status(failing);
    assertThat(failed.has("download")).isFalse();
    assertThat(failed.has("expiresAt")).as("a failed job's record expires too").isTrue();
    assertProblem(user.send(user.get("/conversions/" + failing + "/mp3")), 404, "/problems/not-found");
  }

  // ---------------------------------------------------------------------------------------------- bearer download

  @Test
  void theOwnerDownloadsTheMp3WithTheirAccessTokenWholeOrInRanges() throws Exception {
    GatewayUser user = user();
    byte[] mp3 = mp3(2 * 1024 * 1024 + 3, 2);
    String job = user.completedJob("https://audio.example.com/My%20Song%20(live).wav", mp3, S3, RABBIT);
    String path = "/conversions/" + job + "/mp3";

    HttpResponse<byte[]> whole = user.sendBytes(user.get(path));
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("Content-Type")).contains("audio/mpeg");
    assertThat(whole.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"My_Song_live.mp3\"");
    assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
    assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(mp3.length);
    assertThat(whole.headers().firstValue("Cache-Control")).contains("private, no-store");
    assertThat(whole.body()).isEqualTo(mp3);

    HttpResponse<byte[]> middle = user.sendBytes(user.range(path, "bytes=1000-1999"));
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 1000-1999/" + mp3.length);
    assertThat(middle.headers().firstValueAsLong("Content-Length")).hasValue(1000);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(mp3, 1000, 2000));

    HttpResponse<byte[]> tail = user.sendBytes(user.range(path, "bytes=-7"));
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.headers().firstValue("Content-Range"))
        .contains("bytes " + (mp3.length - 7) + "-" + (mp3.length - 1) + "/" + mp3.length);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(mp3, mp3.length - 7, mp3.length));

    HttpResponse<String> outside = user.send(user.range(path, "bytes=" + mp3.length + "-"));
    assertProblem(outside, 416, "/problems/range-not-satisfiable");
    assertThat(outside.headers().firstValue("Content-Range")).contains("bytes */" + mp3.length);
  }

  @Test
  void withoutAValidAccessTokenThereIsNoDownload() throws Exception {
    GatewayUser user = user();
    String job = user.completedJob("https://audio.example.com/a.wav", mp3(10, 3), S3, RABBIT);
    String path = "/conversions/" + job + "/mp3";
    for (String authorization : new String[] {null, "Bearer garbage", "Basic dXNlcjpwYXNz"}) {
      HttpResponse<String> response = user.send(user.getAs(path, authorization));
      assertProblem(response, 401, "/problems/unauthorized");
      assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    }
    // A download link's token is not an access token.
    String link = user.status(job).get("download").get("url").asText();
    assertProblem(user.send(user.getAs(path, "Bearer " + link.substring(link.lastIndexOf('/') + 1))), 401,
        "/problems/unauthorized");
  }

  @Test
  void anotherUsersJobIsAnswered404LikeAnUnknownOne() throws Exception {
    GatewayUser owner = user();
    GatewayUser stranger = user();
    String job = owner.completedJob("https://audio.example.com/mine.wav", mp3(100, 4), S3, RABBIT);

    HttpResponse<String> foreign = stranger.send(stranger.get("/conversions/" + job + "/mp3"));
    HttpResponse<String> unknown = stranger.send(stranger.get("/conversions/" + UUID.randomUUID() + "/mp3"));
    assertProblem(foreign, 404, "/problems/not-found");
    assertProblem(unknown, 404, "/problems/not-found");
    assertThat(foreign.body()).isEqualTo(unknown.body());
    assertThat(owner.sendBytes(owner.get("/conversions/" + job + "/mp3")).statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredJobsFileIsGone410ByEitherWayUntilTheSweepDeletesIt() throws Exception {
    GatewayUser user = user();
    String job = user.completedJob("https://audio.example.com/old.wav", mp3(100, 5), S3, RABBIT);
    String link = user.status(job).get("download").get("url").asText();
    expire(job);

    HttpResponse<String> api = user.send(user.get("/conversions/" + job + "/mp3"));
    assertProblem(api, 410, "/problems/download-expired");
    // The link's token is still within its lifetime here (the row was aged behind its back): the file decides.
    assertProblem(user.send(user.getAs(link.substring(PUBLIC_URL.length()), null)), 410, "/problems/download-expired");
    JsonNode status = user.status(job);
    assertThat(status.get("status").asText()).isEqualTo("completed");
    assertThat(Instant.parse(status.get("expiresAt").asText())).isBefore(Instant.now());
    assertThat(status.has("download")).isFalse();
  }

  // ---------------------------------------------------------------------------------------------- retention

  @Test
  void theRetentionSweepDeletesExpiredJobsWithTheirMp3sAndLeavesFreshOnes() throws Exception {
    GatewayUser user = user();
    String expired = user.completedJob("https://audio.example.com/expired.wav", mp3(100, 6), S3, RABBIT);
    String fresh = user.completedJob("https://audio.example.com/fresh.wav", mp3(100, 7), S3, RABBIT);
    String failed = user.submit("https://audio.example.com/failed.wav");
    RABBIT.publish(Topology.EXCHANGE, Topology.FAILED, Json.MESSAGES.writeValueAsString(new ConversionFailed(
        1, failed, user.id, "e@example.com", "E", "not_audio", "Not audio.", Instant.now())));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> user.status(failed).path("status").asText(), "failed"::equals);
    expire(expired);
    expire(failed);

    camel.sendBody("direct:gateway-retention-sweep", null);

    assertThat(jdbc.queryForObject("SELECT count(*) FROM conversions WHERE id IN (?, ?)", Long.class,
        UUID.fromString(expired), UUID.fromString(failed))).isZero();
    try (var s3 = S3.client()) {
      assertThatThrownBy(() -> s3.headObject(b -> b.bucket("mp3").key(key(user, expired))))
          .isInstanceOf(NoSuchKeyException.class);
      assertThat(s3.headObject(b -> b.bucket("mp3").key(key(user, fresh))).contentLength()).isEqualTo(100);
    }
    assertProblem(user.send(user.get("/conversions/" + expired)), 404, "/problems/not-found");
    assertProblem(user.send(user.get("/conversions/" + expired + "/mp3")), 404, "/problems/not-found");
    assertThat(user.sendBytes(user.get("/conversions/" + fresh + "/mp3")).statusCode()).isEqualTo(200);
    assertThat(user.status(fresh).has("download")).isTrue();
  }

  @Test
  void aJobWhoseMp3CouldNotBeDeletedKeepsItsRowForTheNextSweep() throws Exception {
    GatewayUser user = user();
    String job = user.completedJob("https://audio.example.com/stays.wav", mp3(100, 8), S3, RABBIT);
    expire(job);
    // The object store refuses the deletion: the bucket name the job's key lives in is fine, but the key is made
    // unusable for S3 (longer than its 1024-byte limit), as any failing DeleteObject would be.
    jdbc.update("UPDATE conversions SET object_key = ? WHERE id = ?", "x".repeat(2000), UUID.fromString(job));

    camel.sendBody("direct:gateway-retention-sweep", null);

    assertThat(jdbc.queryForObject("SELECT count(*) FROM conversions WHERE id = ?", Long.class,
        UUID.fromString(job))).isOne();
    assertThat(jdbc.queryForObject("SELECT retention_claimed_at IS NOT NULL FROM conversions WHERE id = ?",
        Boolean.class, UUID.fromString(job))).isTrue();
  }

  private void expire(String job) {
    jdbc.update("UPDATE conversions SET expires_at = now() - interval '1 minute' WHERE id = ?", UUID.fromString(job));
  }

  private static String key(GatewayUser user, String job) {
    return ObjectKeys.output(user.id, job, OutputFormat.MP3);
  }
}
