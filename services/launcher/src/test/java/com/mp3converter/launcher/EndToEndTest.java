package com.mp3converter.launcher;

import static com.mp3converter.launcher.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.local.ResendApi;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.Ffprobe;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.StaticFileServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole journey as a user drives it, over HTTP, against the four real services in their own contexts,
 * real PostgreSQL, real RabbitMQ, real ffmpeg, an S3 server and a Resend-compatible stub.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  private static final double SOURCE_SECONDS = 7.3;
  private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/downloads/[A-Za-z0-9._-]+");

  @TempDir static Path sources;
  @TempDir static Path downloads;

  private TestSystem test;
  private LocalS3 s3;
  private ResendStub resend;
  private StaticFileServer files;
  private LocalSystem system;
  private ApiClient api;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startEverything() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("tone.wav"), SOURCE_SECONDS);
    Files.writeString(sources.resolve("notes.wav"), "these are not audio samples\n".repeat(50));
    test = TestSystem.named("e2e").rabbit(RABBIT).sources(sources).start();
    s3 = test.s3();
    resend = test.resend();
    files = test.files();
    system = test.system();
    api = test.api();
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void aUserConvertsAWavAndDownloadsTheMp3FromTheEmailedLink() throws Exception {
    String token = api.registerVerifyAndLogin("ada@example.com", "Ada <Lovelace>");

    HttpResponse<String> accepted = api.send("POST", "/conversions", token,
        "{\"url\":\"" + files.url("tone.wav") + "\",\"bitrate\":\"192k\"}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonNode job = Json.MESSAGES.readTree(accepted.body());
    String id = job.get("id").asText();
    assertThat(job.get("status").asText()).isEqualTo("queued");
    assertThat(accepted.headers().firstValue("Location")).hasValue("/conversions/" + id);

    JsonNode done = api.awaitFinished(token, id);
    assertThat(done.get("status").asText()).isEqualTo("completed");
    assertThat(done.get("sourceUrl").asText()).isEqualTo(files.url("tone.wav"));

    ResendApi.Email email = awaitEmailTo("ada@example.com");
    assertThat(email.idempotencyKey()).contains(id);
    assertThat(email.html()).doesNotContain("<Lovelace>");
    Matcher link = LINK.matcher(email.text());
    assertThat(link.find()).as("a download link in: " + email.text()).isTrue();

    HttpResponse<Path> mp3 = http.send(HttpRequest.newBuilder(URI.create(link.group())).build(),
        HttpResponse.BodyHandlers.ofFile(downloads.resolve("tone.mp3")));
    assertThat(mp3.statusCode()).isEqualTo(200);
    assertThat(mp3.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("audio/mpeg"));
    assertThat(mp3.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
    assertThat(Ffprobe.formatName(mp3.body())).isEqualTo("mp3");
    assertThat(Ffprobe.durationSeconds(mp3.body())).isCloseTo(SOURCE_SECONDS, org.assertj.core.data.Offset.offset(0.1));

    // The email says until when the file is kept: the status document's expiresAt (7 days by default).
    Instant expiresAt = Instant.parse(done.get("expiresAt").asText());
    assertThat(email.text()).contains("is kept until").contains(
        DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC).format(expiresAt));
    // The same file through the API with the access token, and its status document's download.
    assertThat(done.get("download").get("bytes").asLong()).isEqualTo(Files.size(mp3.body()));
    HttpRequest apiDownload = HttpRequest.newBuilder(URI.create(system.gatewayUrl() + "/conversions/" + id + "/mp3"))
        .header("Authorization", "Bearer " + token).build();
    HttpResponse<byte[]> viaApi = http.send(apiDownload, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(viaApi.statusCode()).isEqualTo(200);
    assertThat(viaApi.body()).isEqualTo(Files.readAllBytes(mp3.body()));

    HttpResponse<String> list = api.send("GET", "/conversions", token, null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(Json.MESSAGES.readTree(list.body()).get("items").get(0).get("id").asText()).isEqualTo(id);

    String tampered = link.group().substring(0, link.group().length() - 2)
        + (link.group().endsWith("A") ? "BB" : "AA");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(tampered)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
  }

  @Test
  void aUserUploadsAWavLikeCurlDashFAndRetriesWithTheSameIdempotencyKey() throws Exception {
    String token = api.registerVerifyAndLogin("lin@example.com", "Lin");
    String boundary = "----e2e" + UUID.randomUUID().toString().replace("-", "");
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tone.wav\"\r\n"
        + "Content-Type: audio/wav\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    body.writeBytes(Files.readAllBytes(sources.resolve("tone.wav")));
    body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"bitrate\"\r\n\r\n128k\r\n--"
        + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    HttpRequest upload = HttpRequest.newBuilder(URI.create(system.gatewayUrl() + "/conversions"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .header("Idempotency-Key", "e2e-" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();

    HttpResponse<String> accepted = http.send(upload, HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = Json.MESSAGES.readTree(accepted.body()).get("id").asText();
    HttpResponse<String> retried = http.send(upload, HttpResponse.BodyHandlers.ofString());
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    assertThat(Json.MESSAGES.readTree(retried.body()).get("id").asText()).isEqualTo(id);

    JsonNode done = api.awaitFinished(token, id);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(done.get("source").get("type").asText()).isEqualTo("upload");
    assertThat(done.get("source").get("filename").asText()).isEqualTo("tone.wav");
    assertThat(done.get("bitrate").asText()).isEqualTo("128k");
    HttpResponse<Path> mp3 = http.send(HttpRequest.newBuilder(URI.create(system.gatewayUrl() + "/conversions/" + id + "/mp3"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofFile(downloads.resolve("upload.mp3")));
    assertThat(mp3.statusCode()).isEqualTo(200);
    assertThat(Ffprobe.formatName(mp3.body())).isEqualTo("mp3");
    assertThat(Ffprobe.durationSeconds(mp3.body())).isCloseTo(SOURCE_SECONDS, org.assertj.core.data.Offset.offset(0.1));
    // Converted: the worker deletes the upload (right after it announced the job completed).
    try (var client = s3.client()) {
      await().atMost(Duration.ofSeconds(20))
          .until(() -> client.listObjectsV2(b -> b.bucket("mp3").prefix("uploads/")).contents().isEmpty());
    }
  }

  @Test
  void sourcesThatCannotBeConvertedEndFailedAndTheUserIsEmailed() throws Exception {
    String token = api.registerVerifyAndLogin("grace@example.com", "Grace");
    String missing = api.accept(token, files.url("nowhere.wav"));
    String notAudio = api.accept(token, files.url("notes.wav"));

    JsonNode missingJob = api.awaitFinished(token, missing);
    JsonNode notAudioJob = api.awaitFinished(token, notAudio);
    assertThat(missingJob.get("status").asText()).isEqualTo("failed");
    assertThat(missingJob.get("error").get("reason").asText()).isEqualTo("source_not_found");
    assertThat(notAudioJob.get("status").asText()).isEqualTo("failed");
    assertThat(notAudioJob.get("error").get("reason").asText()).isEqualTo("not_audio");

    await().atMost(Duration.ofSeconds(30)).until(() -> api.conversionEmailsTo("grace@example.com").size() == 2);
    assertThat(api.conversionEmailsTo("grace@example.com")).allSatisfy(e -> assertThat(e.text()).doesNotContain("Exception"));
  }

  @Test
  void badInputIsAnsweredPreciselyWithProblemDetails() throws Exception {
    String token = api.registerVerifyAndLogin("alan@example.com", "Alan");
    String other = api.registerVerifyAndLogin("joan@example.com", "Joan");

    assertProblem(api.send("POST", "/conversions", null, "{\"url\":\"https://example.com/a.wav\"}"), 401);
    assertProblem(api.send("POST", "/conversions", "not.a.token", "{\"url\":\"https://example.com/a.wav\"}"), 401);
    assertProblem(api.send("POST", "/conversions", token, "{\"url\": "), 400);
    assertProblem(api.send("POST", "/conversions", token, "{}"), 400);
    assertProblem(api.send("POST", "/conversions", token, "{\"url\":\"ftp://example.com/a.wav\"}"), 400);
    assertProblem(api.send("POST", "/conversions", token, "{\"url\":\"https://example.com/a.wav\",\"bitrate\":\"999k\"}"), 400);
    // A known address is not revealed: the same 202 as for a new one; its owner is told by email.
    HttpResponse<String> again = api.send("POST", "/auth/register", null,
        "{\"email\":\"ALAN@example.com\",\"password\":\"correct horse battery\",\"name\":\"Alan\"}");
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.body()).isEqualTo("{\"status\":\"verification_sent\"}");
    await().atMost(Duration.ofSeconds(30)).until(() -> resend.emails().stream()
        .anyMatch(e -> e.to().contains("alan@example.com") && e.subject().contains("already have an account")));
    // An address nobody verified may not submit conversions.
    assertThat(api.send("POST", "/auth/register", null,
        "{\"email\":\"unverified@example.com\",\"password\":\"correct horse battery\",\"name\":\"U\"}")
        .statusCode()).isEqualTo(202);
    HttpResponse<String> unverifiedLogin = api.send("POST", "/auth/login", null,
        "{\"email\":\"unverified@example.com\",\"password\":\"correct horse battery\"}");
    String unverified = Json.MESSAGES.readTree(unverifiedLogin.body()).get("access_token").asText();
    assertProblem(api.send("POST", "/conversions", unverified, "{\"url\":\"" + files.url("tone.wav") + "\"}"), 403);
    assertProblem(api.send("POST", "/auth/login", null,
        "{\"email\":\"alan@example.com\",\"password\":\"wrong password!\"}"), 401);

    String id = api.accept(token, files.url("tone.wav"));
    assertProblem(api.send("GET", "/conversions/" + id, other, null), 404);
    assertProblem(api.send("GET", "/conversions/" + UUID.randomUUID(), token, null), 404);
    assertProblem(api.send("GET", "/conversions/not-a-uuid", token, null), 404);
    api.awaitFinished(token, id);
  }

  private ResendApi.Email awaitEmailTo(String address) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !api.conversionEmailsTo(address).isEmpty());
    List<ResendApi.Email> emails = api.conversionEmailsTo(address);
    assertThat(emails).hasSize(1);
    return emails.get(0);
  }
}
