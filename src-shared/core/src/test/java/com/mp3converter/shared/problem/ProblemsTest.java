package com.mp3converter.shared.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProblemsTest {
  record Request(String url, String bitrate) {}

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"url\": }", "[1,2]", "{\"url\":\"a\"} trailing", "{\"url\":\"a\",\"evil\":1}",
      "{\"url\":{\"nested\":true}}", "{\"url\":12345}", "{\"url\":true}", "{\"url\":[\"a\"]}"})
  void clientJsonMistakesAre400sThatSayWhat(String body) {
    ProblemException p = Problems.from(catching(() -> Json.REQUESTS.readValue(body, Request.class)));
    assertThat(p.problem().status()).isEqualTo(400);
    assertThat(p.problem().type()).isEqualTo("/problems/invalid-json");
    assertThat(p.problem().detail()).doesNotContain("com.mp3converter", "Exception", "at ");
  }

  @Test
  void unknownFieldsAreNamed() {
    ProblemException p = Problems.from(catching(() -> Json.REQUESTS.readValue("{\"evil\":1}", Request.class)));
    assertThat(p.problem().detail()).isEqualTo("Unknown field 'evil'.");
  }

  @Test
  void problemExceptionsPassThroughEvenWhenWrapped() {
    ProblemException conflict = ProblemException.conflict("email-taken", "taken");
    assertThat(Problems.from(new RuntimeException(conflict))).isSameAs(conflict);
  }

  @Test
  void unexpectedFailuresBecomeOpaque500s() {
    ProblemException p = Problems.from(new IllegalStateException("SELECT * FROM users at /srv/secret"));
    assertThat(p.problem().status()).isEqualTo(500);
    assertThat(p.problem().detail()).doesNotContain("SELECT", "/srv").contains("reference");
  }

  @Test
  void rendersAsRfc9457WithoutNulls() throws Exception {
    String json = Json.MESSAGES.writeValueAsString(ProblemException.notFound("No such job").problem());
    assertThat(Json.MESSAGES.readValue(json, Map.class)).containsOnlyKeys("type", "title", "status", "detail");
    assertThat(ProblemException.tooManyRequests("slow down", 30).headers()).containsEntry("Retry-After", "30");
  }

  private static Throwable catching(ThrowingRunnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
