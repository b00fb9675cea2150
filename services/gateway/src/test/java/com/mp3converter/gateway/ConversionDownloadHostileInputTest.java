package com.mp3converter.gateway;

import static com.mp3converter.gateway.GatewayRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code GET /conversions/{id}/mp3} against what a hostile caller sends: other users' jobs (with and without a
 * Range that would reveal the size), malformed, reversed, huge and negative ranges, and ids that try to leave the
 * path or the UUID. Every answer is the whole file, one exact range, or a precise 4xx problem; never another
 * user's bytes, never a 500.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=gateway", "management.server.port=0", "mp3.retention.interval-ms=3600000"})
@DirtiesContext
class ConversionDownloadHostileInputTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final LocalS3 S3 = startS3();
  static final String DATABASE = TestDatabase.create("gateway_download_hostile");
  static final byte[] MP3 = new byte[10_000];

  static {
    new Random(42).nextBytes(MP3);
  }

  @LocalServerPort
  int port;

  // One completed job for the whole class, made by the first test (the gateway's port is known only then).
  static GatewayUser owner;
  static GatewayUser stranger;
  static String job;

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
    registry.add("MP3_DOWNLOAD_TOKEN_KEY", () -> Base64.getEncoder().encodeToString(new byte[32]));
  }

  @BeforeEach
  void ownersCompletedJob() throws Exception {
    if (job != null) {
      return;
    }
    owner = new GatewayUser(port, AUTH);
    stranger = new GatewayUser(port, AUTH);
    job = owner.completedJob("https://audio.example.com/secret.wav", MP3, S3, RABBIT);
  }

  @AfterAll
  static void stopDependencies() throws Exception {
    AUTH.close();
    S3.close();
    S3.deleteFolder();
  }

  // ---------------------------------------------------------------------------------------------- other users

  @Test
  void anotherUsersJobIsNotFoundWhateverTheRangeAsks() throws Exception {
    String unknownBody = stranger.send(stranger.get("/conversions/" + UUID.randomUUID() + "/mp3")).body();
    for (String range : new String[] {null, "bytes=0-0", "bytes=" + MP3.length + "-", "bytes=-1", "bytes=x"}) {
      HttpResponse<String> response = stranger.send(range == null
          ? stranger.get("/conversions/" + job + "/mp3")
          : stranger.range("/conversions/" + job + "/mp3", range));
      // Not 416 and no Content-Range: nothing about the file (not even its size) reaches another user.
      assertProblem(response, 404, "/problems/not-found");
      assertThat(response.headers().firstValue("Content-Range")).as(range).isEmpty();
      assertThat(response.body()).as(range).isEqualTo(unknownBody);
    }
    assertProblem(stranger.send(stranger.get("/conversions/" + job)), 404, "/problems/not-found");
  }

  @Test
  void aDownloadLinksTokenIsNoAccessTokenForAnyone() throws Exception {
    // The status document's link is a download token: at the API it is refused as an access token, for anyone.
    JsonNode status = owner.status(job);
    String token = status.get("download").get("url").asText().replaceAll(".*/", "");
    assertProblem(stranger.send(stranger.getAs("/conversions/" + job + "/mp3", "Bearer " + token)), 401,
        "/problems/unauthorized");
    assertProblem(owner.send(owner.getAs("/conversions/" + job + "/mp3", "Bearer " + token)), 401,
        "/problems/unauthorized");
  }

  // ---------------------------------------------------------------------------------------------- ranges

  /** Range headers the gateway does not serve: ignored as RFC 9110 allows, the whole file with 200. */
  static Stream<String> ignoredRanges() {
    return Stream.of("bytes=abc", "bytes=5-2", "items=0-1", "bytes=0-1,2-3", "bytes=-", "bytes=--1", "bytes=-5-10",
        "bytes=1-2-3", "bytes=0x10-0x20", "bytes=+1-2", "bytes=1 - 2", "bytes=\u00b9-2", "bytes=0-99999999999999999999",
        "bytes=99999999999999999999-", "bytes=-99999999999999999999", "=0-1", "bytes", "bytes=1.5-2", "bytes=0-1;x",
        "b".repeat(2000));
  }

  @ParameterizedTest
  @MethodSource("ignoredRanges")
  void malformedAndReversedRangesGetTheWholeFile(String range) throws Exception {
    HttpResponse<byte[]> response = owner.sendBytes(owner.range("/conversions/" + job + "/mp3", range));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Range")).isEmpty();
    assertThat(response.body()).isEqualTo(MP3);
  }

  /** Well-formed ranges at the edges of what a long can hold: clamped to the file, or 416. */
  static Stream<Arguments> edgeRanges() {
    int last = MP3.length - 1;
    return Stream.of(
        Arguments.of("bytes=0-9223372036854775807", 0, last),
        Arguments.of("bytes=-9223372036854775807", 0, last),
        Arguments.of("bytes=" + last + "-" + last, last, last),
        Arguments.of("bytes=" + last + "-", last, last),
        Arguments.of("bytes=0-0", 0, 0),
        Arguments.of("bytes=-" + (MP3.length + 1), 0, last),
        Arguments.of(" bytes=10-19 ", 10, 19),
        Arguments.of("bytes=0000000000000000010-19", 10, 19));
  }

  @ParameterizedTest
  @MethodSource("edgeRanges")
  void hugeRangesAreClampedToTheFile(String range, int start, int end) throws Exception {
    HttpResponse<byte[]> response = owner.sendBytes(owner.range("/conversions/" + job + "/mp3", range));
    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.headers().firstValue("Content-Range")).contains("bytes " + start + "-" + end + "/" + MP3.length);
    assertThat(response.body()).isEqualTo(Arrays.copyOfRange(MP3, start, end + 1));
  }

  static Stream<String> unsatisfiableRanges() {
    return Stream.of("bytes=" + MP3.length + "-", "bytes=9223372036854775807-", "bytes=-0",
        "bytes=9223372036854775807-9223372036854775807", "bytes=" + MP3.length + "-" + (MP3.length + 10));
  }

  @ParameterizedTest
  @MethodSource("unsatisfiableRanges")
  void rangesOutsideTheFileAre416WithItsSize(String range) throws Exception {
    HttpResponse<String> response = owner.send(owner.range("/conversions/" + job + "/mp3", range));
    assertProblem(response, 416, "/problems/range-not-satisfiable");
    assertThat(response.headers().firstValue("Content-Range")).contains("bytes */" + MP3.length);
  }

  // ---------------------------------------------------------------------------------------------- ids and paths

  /** Ids that are not a job id, or that try to leave the path: never the file, always a problem. */
  static Stream<String> trickyPaths() {
    return Stream.of(
        "/conversions/not-a-uuid/mp3",
        "/conversions/' OR '1'='1/mp3",
        "/conversions/%27%20OR%20%271%27%3D%271/mp3",
        "/conversions/../downloads/x/mp3",
        "/conversions/%2e%2e/mp3",
        "/conversions/%2e%2e%2fdownloads/mp3",
        "/conversions/..%2F..%2Fetc%2Fpasswd/mp3",
        "/conversions/%00/mp3",
        "/conversions/00000000-0000-0000-0000-000000000000/mp3",
        "/conversions/" + "a".repeat(5000) + "/mp3",
        "/conversions//mp3",
        "/conversions/mp3",
        "/conversions/%u002e%u002e/mp3");
  }

  @ParameterizedTest
  @MethodSource("trickyPaths")
  void pathTricksInTheIdAreProblemsNeverTheFile(String path) throws Exception {
    Raw response = rawGet(path);
    assertThat(response.status()).as(path).isBetween(400, 499);
    assertThat(response.contentType()).as(path).startsWith("application/problem+json");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void idsThatAreTheJobsInAnotherSpellingOrWithTrailingPartsDoNotLeakToAStranger() throws Exception {
    for (String id : new String[] {job.toUpperCase(), job + "%20", job + ";x=1", job + "%3Bx"}) {
      HttpResponse<String> response = stranger.send(stranger.getAs("/conversions/" + id + "/mp3", stranger.bearer()));
      assertThat(response.statusCode()).as(id).isBetween(400, 499);
      assertThat(response.body()).as(id).doesNotContain("secret");
    }
    // The owner's job in capitals is the same UUID: still the owner's file.
    assertThat(owner.sendBytes(owner.get("/conversions/" + job.toUpperCase() + "/mp3")).body()).isEqualTo(MP3);
  }

  /**
   * A request line sent as written (java.net.http would reject or normalise some of these paths itself), with
   * the owner's access token: even the owner gets nothing but a problem for them.
   */
  private Raw rawGet(String path) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
          + owner.bearer() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      return Raw.of(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }
  }

  /** The status, content type and (raw, possibly chunked) body of an HTTP/1.1 response. */
  record Raw(int status, String contentType, String body) {
    static Raw of(String response) {
      int split = response.indexOf("\r\n\r\n");
      String head = split < 0 ? response : response.substring(0, split);
      String[] lines = head.split("\r\n");
      String contentType = Arrays.stream(lines).skip(1)
          .filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
          .map(line -> line.substring("content-type:".length()).strip()).findFirst().orElse("");
      return new Raw(Integer.parseInt(lines[0].split(" ")[1]), contentType, split < 0 ? "" : response.substring(split + 4));
    }
  }
}
