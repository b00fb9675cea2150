package com.mp3converter.shared.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The optional filename keeps version 1 of the completed event readable both ways. */
class ConversionCompletedTest {

  @Test
  void anEventWithoutAFilenameStillReads() throws Exception {
    ConversionCompleted event = Json.MESSAGES.readValue("""
        {"v":1,"jobId":"j","userId":"u","email":"e@example.org","name":"E","objectKey":"users/u/j.mp3",
         "bytes":42,"durationSeconds":1.5,"completedAt":"2026-01-01T00:00:00Z"}""", ConversionCompleted.class);

    assertThat(event.filename()).isNull();
    assertThat(event.bytes()).isEqualTo(42);
  }

  @Test
  void theFilenameTravelsAndAnOlderReaderCanIgnoreIt() throws Exception {
    ConversionCompleted sent = new ConversionCompleted(ConversionCompleted.VERSION, "j", "u", "e@example.org", "E",
        "users/u/j.mp3", 42, 1.5, Instant.parse("2026-01-01T00:00:00Z"), "Fur_Elise.mp3");

    String json = Json.MESSAGES.writeValueAsString(sent);

    assertThat(Json.MESSAGES.readValue(json, ConversionCompleted.class)).isEqualTo(sent);
    assertThat(Json.MESSAGES.readTree(json).path("v").asInt()).isEqualTo(1);
    assertThat(Json.MESSAGES.readTree(json).path("filename").asText()).isEqualTo("Fur_Elise.mp3");
  }
}
