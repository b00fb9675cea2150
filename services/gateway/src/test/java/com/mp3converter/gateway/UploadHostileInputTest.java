package com.mp3converter.gateway;

import static com.mp3converter.gateway.GatewayRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Uploads that are not what the API takes: each a precise 4xx problem (never a 500), and after each nothing stored
 * in S3, no job, nothing published, no spooled file left on the gateway's disk.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=gateway", "management.server.port=0"})
@DirtiesContext
class UploadHostileInputTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final LocalS3 S3 = UploadTestSupport.startS3();
  static final String DATABASE = TestDatabase.create("gateway_upload_hostile");
  static final long MAX_UPLOAD = 512 * 1024;

  @LocalServerPort
  int port;

  @Autowired
  JdbcTemplate jdbc;

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

  GatewayUser someone() {
    return new GatewayUser(port, AUTH);
  }

  /** Whatever a hostile request did, it left nothing behind. */
  void nothingKept(GatewayUser user) {
    assertThat(UploadTestSupport.uploadsOf(S3, user)).isEmpty();
    assertThat(jdbc.queryForObject("SELECT count(*) FROM conversions WHERE user_id = ?::uuid", Long.class, user.id))
        .isZero();
    assertThat(RABBIT.messageCount(Topology.WORKER_QUEUE)).isZero();
  }

  @AfterEach
  void noSpooledFileIsLeft() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("upload-") && n.endsWith(".part")))
          .isEmpty();
    }
  }

  HttpResponse<String> upload(GatewayUser user, MultipartBody body) throws Exception {
    return send(UploadTestSupport.post(port, user, body.contentType(), body.bytes(), null));
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFileThatIsNotAudioIs415() throws Exception {
    GatewayUser user = someone();
    byte[] text = "#!/bin/sh\necho this is not audio\n".repeat(100).getBytes(StandardCharsets.UTF_8);
    assertProblem(upload(user, new MultipartBody().file("file", "song.wav", text)), 415, "/problems/not-audio");
    byte[] png = new byte[4096];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
    assertProblem(upload(user, new MultipartBody().file("file", "cover.mp3", png)), 415, "/problems/not-audio");
    assertProblem(upload(user, new MultipartBody().file("file", "empty.wav", new byte[0])), 415, "/problems/not-audio");
    nothingKept(user);
  }

  @Test
  void aTruncatedMultipartBodyIs400() throws Exception {
    GatewayUser user = someone();
    MultipartBody body = new MultipartBody().file("file", "song.wav", UploadTestSupport.sineWav(0.5));
    assertProblem(send(UploadTestSupport.post(port, user, body.contentType(), body.truncated(1000), null)), 400,
        "/problems/invalid-multipart");
    // No boundary at all, and a body that is not multipart despite its type.
    assertProblem(send(UploadTestSupport.post(port, user, "multipart/form-data", body.bytes(), null)), 400,
        "/problems/invalid-multipart");
    assertProblem(send(UploadTestSupport.post(port, user, body.contentType(),
        "just some text".getBytes(StandardCharsets.UTF_8), null)), 400, "/problems/invalid-multipart");
    nothingKept(user);
  }

  @Test
  void hugeFilenamesAre400() throws Exception {
    GatewayUser user = someone();
    byte[] wav = UploadTestSupport.sineWav(0.2);
    HttpResponse<String> long300 = upload(user, new MultipartBody().file("file", "a".repeat(300) + ".wav", wav));
    assertProblem(long300, 400, "/problems/invalid-filename");
    // Past the part header limit: the parser refuses it before the name is even read.
    HttpResponse<String> huge = upload(user, new MultipartBody().file("file", "b".repeat(20_000) + ".wav", wav));
    assertProblem(huge, 400, "/problems/invalid-multipart");
    assertThat(huge.body()).doesNotContain("bbbbbbbb");
    nothingKept(user);
  }

  @Test
  void aFilenameIsKeptAsItsLastSegmentWithoutControlCharacters() throws Exception {
    GatewayUser user = someone();
    HttpResponse<String> response = upload(user,
        new MultipartBody().file("file", "../../etc/\u0007evil\u202e.wav", UploadTestSupport.sineWav(0.2)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String job = GatewayUser.json(response).get("id").asText();
    assertThat(user.status(job).get("source").get("filename").asText()).isEqualTo("evil.wav");
    RABBIT.purge(Topology.WORKER_QUEUE);
  }

  @Test
  void missingOrUnexpectedPartsAre400() throws Exception {
    GatewayUser user = someone();
    byte[] wav = UploadTestSupport.sineWav(0.2);
    assertProblem(upload(user, new MultipartBody().field("bitrate", "192k")), 400, "/problems/missing-file");
    assertProblem(upload(user, new MultipartBody().file("file", null, wav)), 400, "/problems/invalid-filename");
    assertProblem(upload(user, new MultipartBody().field("file", "not a file")), 400, "/problems/invalid-filename");
    assertProblem(upload(user, new MultipartBody().file("file", "a.wav", wav).field("speed", "2")), 400,
        "/problems/unknown-part");
    assertProblem(upload(user, new MultipartBody().file("file", "a.wav", wav).file("file", "b.wav", wav)), 400,
        "/problems/invalid-multipart");
    assertProblem(upload(user, new MultipartBody().file("file", "a.wav", wav).field("bitrate", "999k")), 400,
        "/problems/invalid-bitrate");
    assertProblem(upload(user, new MultipartBody().file("file", "a.wav", wav).field("bitrate", "1".repeat(1000))),
        400, "/problems/invalid-bitrate");
    nothingKept(user);
  }

  @Test
  void oversizedUploadsAre413WhetherDeclaredOrChunked() throws Exception {
    GatewayUser user = someone();
    byte[] large = new byte[(int) MAX_UPLOAD * 2];
    byte[] wav = UploadTestSupport.sineWav(0.2);
    System.arraycopy(wav, 0, large, 0, wav.length);
    MultipartBody body = new MultipartBody().file("file", "big.wav", large);
    assertProblem(upload(user, body), 413, "/problems/upload-too-large");
    // No Content-Length: the body is counted as it arrives and cut off past the limit.
    byte[] bytes = body.bytes();
    HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/conversions"))
        .header("Authorization", user.bearer()).header("Content-Type", body.contentType())
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();
    assertProblem(send(chunked), 413, "/problems/upload-too-large");
    nothingKept(user);
  }

  @Test
  void anIdempotencyKeyReusedWithAnotherBodyIs422AndABadKeyIs400() throws Exception {
    GatewayUser user = someone();
    String key = UUID.randomUUID().toString();
    HttpResponse<String> first = send(UploadTestSupport.post(port, user, "application/json",
        "{\"url\":\"https://audio.example.com/x.wav\"}".getBytes(StandardCharsets.UTF_8), key));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    MultipartBody body = new MultipartBody().file("file", "x.wav", UploadTestSupport.sineWav(0.2));
    assertProblem(send(UploadTestSupport.post(port, user, body.contentType(), body.bytes(), key)), 422,
        "/problems/idempotency-key-reused");
    assertThat(UploadTestSupport.uploadsOf(S3, user)).isEmpty();
    RABBIT.purge(Topology.WORKER_QUEUE);

    GatewayUser other = someone();
    assertProblem(send(UploadTestSupport.post(port, other, body.contentType(), body.bytes(), "k".repeat(256))), 400,
        "/problems/invalid-idempotency-key");
    assertProblem(send(UploadTestSupport.post(port, other, "application/json",
        "{\"url\":\"https://audio.example.com/x.wav\"}".getBytes(StandardCharsets.UTF_8), "has space")), 400,
        "/problems/invalid-idempotency-key");
    nothingKept(other);
  }

  @Test
  void anUploadWithoutAValidAccessTokenIs401AndNothingIsRead() throws Exception {
    GatewayUser user = someone();
    MultipartBody body = new MultipartBody().file("file", "a.wav", UploadTestSupport.sineWav(0.2));
    assertProblem(send(UploadTestSupport.post(port, null, body.contentType(), body.bytes(), null)), 401,
        "/problems/unauthorized");
    nothingKept(user);
  }
}
