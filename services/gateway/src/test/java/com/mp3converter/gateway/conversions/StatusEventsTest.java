package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatusEventsTest {
  private final StatusEvents events =
      new StatusEvents(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  private final UUID job = UUID.randomUUID();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void startedMovesToProcessing() {
    Map<String, Object> p = events.update("conversion.started",
        utf8("{\"v\":1,\"jobId\":\"" + job + "\",\"userId\":\"u\",\"startedAt\":\"2026-01-01T00:00:00Z\"}"));
    assertThat(p).containsEntry("jobId", job).containsEntry("status", "processing").containsEntry("rank", 1)
        .containsEntry("objectKey", null).containsEntry("errorReason", null);
  }

  @Test
  void completedCarriesTheObject() {
    Map<String, Object> p = events.update("conversion.completed", utf8("{\"v\":1,\"jobId\":\"" + job
        + "\",\"objectKey\":\"users/x/y.mp3\",\"bytes\":42,\"durationSeconds\":1.5,\"future\":true}"));
    assertThat(p).containsEntry("status", "completed").containsEntry("rank", 2)
        .containsEntry("objectKey", "users/x/y.mp3").containsEntry("bytes", 42L).containsEntry("durationSeconds", 1.5);
  }

  @Test
  void failedCarriesTheReasonAndABoundedMessage() {
    String longMessage = "x".repeat(5000);
    Map<String, Object> p = events.update("conversion.failed",
        utf8("{\"v\":1,\"jobId\":\"" + job + "\",\"reason\":\"not_audio\",\"message\":\"" + longMessage + "\"}"));
    assertThat(p).containsEntry("status", "failed").containsEntry("errorReason", "not_audio");
    assertThat((String) p.get("errorMessage")).hasSize(StatusEvents.MAX_MESSAGE_LENGTH);
  }

  @Test
  void eventsThatCanNeverBeAppliedAreUnreadable() {
    assertThatThrownBy(() -> events.update("conversion.requested", utf8("{\"jobId\":\"" + job + "\"}")))
        .isInstanceOf(UnreadableStatusEvent.class);
    assertThatThrownBy(() -> events.update("conversion.started", utf8("not json")))
        .isInstanceOf(UnreadableStatusEvent.class);
    assertThatThrownBy(() -> events.update("conversion.started", utf8("{\"jobId\":\"42\"}")))
        .isInstanceOf(UnreadableStatusEvent.class);
    assertThatThrownBy(() -> events.update("conversion.completed", utf8("{\"jobId\":\"" + job + "\",\"bytes\":\"many\"}")))
        .isInstanceOf(UnreadableStatusEvent.class);
    assertThatThrownBy(() -> events.update(null, null)).isInstanceOf(UnreadableStatusEvent.class);
  }
}
