package com.mp3converter.launcher.jobcontrol;

import static com.mp3converter.launcher.ApiClient.assertProblem;
import static com.mp3converter.launcher.ApiClient.randomEmail;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.launcher.ApiClient;
import com.mp3converter.launcher.TestSystem;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.StaticFileServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job control misused: other users' jobs, wrong states, malformed ids, a retry that cannot help, no token, and more
 * event streams than allowed. Every answer is a precise problem body, never a 500.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobControlHostileInputTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();

  @TempDir static Path sources;

  private TestSystem system;
  private ApiClient it;
  private final AtomicInteger dripped = new AtomicInteger();

  @BeforeAll
  void start() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("tone.wav"), 2.0);
    Files.writeString(sources.resolve("notes.wav"), "these are not audio samples\n".repeat(50));
    system = TestSystem.named("jobcontrol_hostile").rabbit(RABBIT).sources(sources)
        .setting("MP3_EVENTS_MAX_PER_USER", "2")
        // The endless source fails its job after this, so it never holds a worker slot for the rest of the run.
        .setting("MP3_SOURCE_TOTAL_TIMEOUT", "15s")
        .start();
    it = system.api();
    // A source that never finishes: its job stays unfinished for as long as the test needs.
    system.files().handle("/endless.wav", StaticFileServer.drip(1_000_000, Duration.ofMillis(200), dripped));
  }

  @AfterAll
  void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void anotherUsersJobIsNotFoundForEveryVerb() throws Exception {
    String owner = it.registerVerifyAndLogin(randomEmail("owner"));
    String stranger = it.registerVerifyAndLogin(randomEmail("stranger"));
    String id = it.accept(owner, system.files().url("tone.wav"));

    assertProblem(it.send("DELETE", "/conversions/" + id, stranger, null), 404);
    assertProblem(it.send("POST", "/conversions/" + id + "/retry", stranger, null), 404);
    HttpResponse<Stream<String>> events = it.events(stranger, id);
    assertThat(events.statusCode()).isEqualTo(404);
    events.body().close();
    // The owner's job was not touched by any of it.
    assertThat(it.awaitStatus(owner, id, "completed", "failed").get("status").asText()).isEqualTo("completed");
  }

  @Test
  void malformedAndUnknownIdsAreNotFound() throws Exception {
    String token = it.registerVerifyAndLogin(randomEmail("ids"));
    for (String id : List.of("nope", "00000000-0000-0000-0000-000000000000", "%27%20OR%201=1--",
        "0".repeat(2000), "123e4567-e89b-12d3-a456-42661417400g")) {
      assertProblem(it.send("DELETE", "/conversions/" + id, token, null), 404);
      assertProblem(it.send("POST", "/conversions/" + id + "/retry", token, null), 404);
      HttpResponse<Stream<String>> events = it.events(token, id);
      assertThat(events.statusCode()).as(id).isEqualTo(404);
      events.body().close();
    }
  }

  @Test
  void withoutAValidTokenNothingIsControlled() throws Exception {
    String token = it.registerVerifyAndLogin(randomEmail("token"));
    String id = it.accept(token, system.files().url("tone.wav"));
    assertProblem(it.send("DELETE", "/conversions/" + id, null, null), 401);
    assertProblem(it.send("POST", "/conversions/" + id + "/retry", "not-a-token", null), 401);
    HttpResponse<Stream<String>> events = it.events("forged.token.value", id);
    assertThat(events.statusCode()).isEqualTo(401);
    events.body().close();
  }

  @Test
  void retryingAJobThatDidNotFailOrCannotSucceedIsAConflict() throws Exception {
    String token = it.registerVerifyAndLogin(randomEmail("conflict"));
    String unfinished = it.accept(token, system.files().url("endless.wav"));
    assertProblem(it.send("POST", "/conversions/" + unfinished + "/retry", token, null), 409);

    // not_audio: the same bytes fail the same way, so the user may not retry it.
    String notAudio = it.accept(token, system.files().url("notes.wav"));
    JsonNode failed = it.awaitStatus(token, notAudio, "completed", "failed");
    assertThat(failed.get("error").get("reason").asText()).isEqualTo("not_audio");
    HttpResponse<String> refused = it.send("POST", "/conversions/" + notAudio + "/retry", token, null);
    assertProblem(refused, 409);
    assertThat(Json.MESSAGES.readTree(refused.body()).get("type").asText()).contains("not-retryable");
    assertThat(it.status(token, notAudio).get("status").asText()).isEqualTo("failed");

    assertThat(it.send("DELETE", "/conversions/" + unfinished, token, null).statusCode()).isEqualTo(204);
  }

  @Test
  void moreEventStreamsThanAllowedAreRefusedWith429() throws Exception {
    String token = it.registerVerifyAndLogin(randomEmail("streams"));
    String id = it.accept(token, system.files().url("endless.wav"));
    HttpResponse<Stream<String>> first = it.events(token, id);
    HttpResponse<Stream<String>> second = it.events(token, id);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(200);

    HttpResponse<Stream<String>> third = it.events(token, id);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
    third.body().close();

    // Cancelling ends both streams (their last event says cancelled), which frees the slots.
    assertThat(it.send("DELETE", "/conversions/" + id, token, null).statusCode()).isEqualTo(204);
    for (HttpResponse<Stream<String>> stream : List.of(first, second)) {
      try (Stream<String> lines = stream.body()) {
        List<String> data = lines.filter(line -> line.startsWith("data:")).toList();
        assertThat(data.get(data.size() - 1)).contains("\"status\":\"cancelled\"");
      }
    }
    HttpResponse<Stream<String>> again = it.events(token, id);
    assertThat(again.statusCode()).isEqualTo(200);
    again.body().close();
  }
}
