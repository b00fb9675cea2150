package com.mp3converter.launcher.jobcontrol;

import static com.mp3converter.launcher.ApiClient.assertProblem;
import static com.mp3converter.launcher.ApiClient.randomEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.launcher.ApiClient;
import com.mp3converter.launcher.TestSystem;
import com.mp3converter.local.ResendApi;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.RabbitVirtualHost;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel, delete, retry, progress and the event stream through the public API, against the four real services
 * (real PostgreSQL, RabbitMQ and ffmpeg, an S3 server, a Resend stub).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobControlTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/downloads/[A-Za-z0-9._-]+");
  /** Long enough that its conversion runs for seconds on a busy machine (44.1 kHz stereo PCM). */
  private static final double LONG_SECONDS = 8 * 60;

  @TempDir static Path sources;

  private TestSystem system;
  private ApiClient it;
  /** /flaky.wav answers 503 while this is set, then the tone. */
  private final AtomicBoolean flakySourceDown = new AtomicBoolean(true);

  @BeforeAll
  void start() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("tone.wav"), 4.0);
    AudioFixtures.writeSineWav(sources.resolve("long.wav"), LONG_SECONDS);
    system = TestSystem.named("jobcontrol").rabbit(RABBIT).sources(sources)
        // One attempt per delivery: a source's 503 fails the job (source_unreachable) at once.
        .setting("MP3_WORKER_RETRY_ATTEMPTS", "1")
        .start();
    it = system.api();
    byte[] tone = Files.readAllBytes(sources.resolve("tone.wav"));
    system.files().handle("/flaky.wav", exchange -> {
      if (flakySourceDown.get()) {
        exchange.sendResponseHeaders(503, -1);
      } else {
        exchange.sendResponseHeaders(200, tone.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(tone);
        }
      }
      exchange.close();
    });
  }

  @AfterAll
  void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void aRunningConversionIsStoppedWithinTwoSecondsEndsCancelledAndNoEmailGoesOut() throws Exception {
    String email = randomEmail("cancel");
    String token = it.registerVerifyAndLogin(email);
    String id = it.accept(token, system.files().url("long.wav"));

    // ffmpeg runs and reports how far it got.
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> !toolsOf(id).isEmpty() && it.status(token, id).path("progress").asInt(0) > 0);
    JsonNode running = it.status(token, id);
    assertThat(running.get("status").asText()).isEqualTo("processing");
    assertThat(running.get("progress").asInt()).isBetween(1, 99);
    List<ProcessHandle> tools = toolsOf(id);

    long before = System.nanoTime();
    HttpResponse<String> cancelled = it.send("DELETE", "/conversions/" + id, token, null);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(204);
    for (ProcessHandle tool : tools) {
      tool.onExit().get(2, TimeUnit.SECONDS);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
    assertThat(toolsOf(id)).isEmpty();

    JsonNode job = it.status(token, id);
    assertThat(job.get("status").asText()).isEqualTo("cancelled");
    assertThat(job.has("progress")).isFalse();
    // It stays cancelled: nothing the worker says afterwards moves it, and nobody is emailed about it.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> it.status(token, id).get("status").asText().equals("cancelled") && it.conversionEmailsTo(email).isEmpty());
    assertThat(system.hasObjectOf(id)).isFalse();
  }

  @Test
  void aJobCancelledRightAwayEndsCancelledAndItsStreamEndsAtOnce() throws Exception {
    String email = randomEmail("queued");
    String token = it.registerVerifyAndLogin(email);
    // Cancelled while queued or just taken by the worker: either way it ends cancelled and is skipped or stopped.
    String id = it.accept(token, system.files().url("long.wav"));
    HttpResponse<String> cancelled = it.send("DELETE", "/conversions/" + id, token, null);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(204);
    assertThat(it.status(token, id).get("status").asText()).isEqualTo("cancelled");

    HttpResponse<Stream<String>> events = it.events(token, id);
    assertThat(events.statusCode()).isEqualTo(200);
    List<JsonNode> documents = documents(events);
    assertThat(documents).hasSize(1);
    assertThat(documents.get(0).get("status").asText()).isEqualTo("cancelled");

    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> it.status(token, id).get("status").asText().equals("cancelled") && it.conversionEmailsTo(email).isEmpty());
    // Cancelling again is a wrong state: it is finished, so a second DELETE deletes it.
    assertThat(it.send("DELETE", "/conversions/" + id, token, null).statusCode()).isEqualTo(204);
    assertProblem(it.send("GET", "/conversions/" + id, token, null), 410);
  }

  @Test
  void aDeletedJobIsGoneItsObjectRemovedAndEveryLinkAnswers410() throws Exception {
    String email = randomEmail("delete");
    String token = it.registerVerifyAndLogin(email);
    String id = it.accept(token, system.files().url("tone.wav"));
    assertThat(it.awaitStatus(token, id, "completed", "failed").get("status").asText()).isEqualTo("completed");
    await().atMost(Duration.ofSeconds(30)).until(() -> !it.conversionEmailsTo(email).isEmpty());
    Matcher link = LINK.matcher(it.conversionEmailsTo(email).get(0).text());
    assertThat(link.find()).isTrue();
    assertThat(system.hasObjectOf(id)).isTrue();

    HttpResponse<String> deleted = it.send("DELETE", "/conversions/" + id, token, null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

    assertProblem(it.send("GET", "/conversions/" + id, token, null), 410);
    assertProblem(it.send("GET", "/conversions/" + id + "/mp3", token, null), 410);
    HttpResponse<String> emailed = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(link.group())).build(), HttpResponse.BodyHandlers.ofString());
    assertProblem(emailed, 410);
    assertThat(system.hasObjectOf(id)).isFalse();
    JsonNode list = Json.MESSAGES.readTree(it.send("GET", "/conversions", token, null).body());
    assertThat(list.get("items").findValuesAsText("id")).doesNotContain(id);
    // Deleting it again: it is gone.
    assertProblem(it.send("DELETE", "/conversions/" + id, token, null), 410);
  }

  @Test
  void aFailedJobWhoseSourceWasDownIsRetriedCompletesAndTheUserGetsTheCompletedEmail() throws Exception {
    String email = randomEmail("retry");
    String token = it.registerVerifyAndLogin(email);
    flakySourceDown.set(true);
    String id = it.accept(token, system.files().url("flaky.wav"));
    JsonNode failed = it.awaitStatus(token, id, "completed", "failed");
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("error").get("reason").asText()).isEqualTo("source_unreachable");
    await().atMost(Duration.ofSeconds(30)).until(() -> it.conversionEmailsTo(email).size() == 1);

    flakySourceDown.set(false);
    HttpResponse<String> retried = it.send("POST", "/conversions/" + id + "/retry", token, null);
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
    JsonNode queued = Json.MESSAGES.readTree(retried.body());
    assertThat(queued.get("status").asText()).isEqualTo("queued");
    assertThat(queued.get("attempts").asInt()).isEqualTo(2);

    JsonNode done = it.awaitStatus(token, id, "completed", "failed");
    assertThat(done.get("status").asText()).isEqualTo("completed");
    assertThat(done.get("attempts").asInt()).isEqualTo(2);
    assertThat(done.has("error")).isFalse();
    await().atMost(Duration.ofSeconds(30)).until(() -> it.conversionEmailsTo(email).size() == 2);
    List<ResendApi.Email> emails = it.conversionEmailsTo(email);
    assertThat(emails.get(1).text()).containsPattern(LINK);
    assertThat(emails.get(0).idempotencyKey()).isNotEqualTo(emails.get(1).idempotencyKey());
    // A completed job is not failed: no retry.
    assertProblem(it.send("POST", "/conversions/" + id + "/retry", token, null), 409);
  }

  @Test
  void theEventStreamSendsEachChangeAndEndsWhenTheJobEnds() throws Exception {
    String token = it.registerVerifyAndLogin(randomEmail("events"));
    String id = it.accept(token, system.files().url("long.wav"));
    HttpResponse<Stream<String>> events = it.events(token, id);
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("text/event-stream"));
    CompletableFuture<List<JsonNode>> received = CompletableFuture.supplyAsync(() -> documents(events));

    List<JsonNode> documents = received.get(180, TimeUnit.SECONDS);
    List<String> states = documents.stream().map(d -> d.get("status").asText()).toList();
    assertThat(states.get(0)).isIn("queued", "processing");
    assertThat(states.get(states.size() - 1)).isEqualTo("completed");
    assertThat(states).contains("processing");
    // Progress while processing, never backwards.
    List<Integer> progress = documents.stream().filter(d -> d.has("progress"))
        .map(d -> d.get("progress").asInt()).toList();
    assertThat(progress).isSorted().anySatisfy(p -> assertThat(p).isBetween(1, 99));
    assertThat(documents).allSatisfy(d -> assertThat(d.get("id").asText()).isEqualTo(id));
  }

  /** The ffmpeg/ffprobe processes running in one of the job's folders (their arguments name the folder). */
  private static List<ProcessHandle> toolsOf(String jobId) {
    String folder = "job-" + jobId + "-";
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return new ArrayList<>(all.filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.contains("ffmpeg") || c.contains("ffprobe")).orElse(false))
          .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(folder)).orElse(false))
          .toList());
    }
  }

  /** The data of each status event of a stream, read until the server ends it. */
  private static List<JsonNode> documents(HttpResponse<Stream<String>> events) {
    List<JsonNode> documents = new ArrayList<>();
    try (Stream<String> lines = events.body()) {
      lines.filter(line -> line.startsWith("data:")).forEach(line -> {
        try {
          documents.add(Json.MESSAGES.readTree(line.substring("data:".length()).trim()));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
    return documents;
  }
}
