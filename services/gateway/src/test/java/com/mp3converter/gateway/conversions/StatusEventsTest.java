package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatusEventsTest {
  private final StatusEvents events = new StatusEvents();
  private final UUID job = UUID.randomUUID();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void startedMovesToProcessing() {
    StatusChange change = events.read("conversion.started",
        utf8("{\"v\":1,\"jobId\":\"" + job + "\",\"userId\":\"u\",\"startedAt\":\"2026-01-01T00:00:00Z\"}"));
    assertThat(change).isEqualTo(new StatusChange(job, JobStatus.PROCESSING, null, null, null, null, null, null));
  }

  @Test
  void completedCarriesTheObject() {
    StatusChange change = events.read("conversion.completed", utf8("{\"v\":1,\"jobId\":\"" + job
        + "\",\"objectKey\":\"users/x/y.mp3\",\"bytes\":42,\"durationSeconds\":1.5,\"future\":true}"));
    assertThat(change).isEqualTo(new StatusChange(job, JobStatus.COMPLETED, "users/x/y.mp3", 42L, 1.5, null, null, null));
  }

  @Test
  void completedCarriesTheWorkersFilenameIfTheRuleCouldHaveMadeIt() {
    StatusChange named = events.read("conversion.completed", utf8("{\"v\":1,\"jobId\":\"" + job
        + "\",\"objectKey\":\"users/x/y.mp3\",\"bytes\":42,\"durationSeconds\":1.5,\"filename\":\"Fur_Elise.mp3\"}"));
    assertThat(named.filename()).isEqualTo("Fur_Elise.mp3");

    StatusChange hostile = events.read("conversion.completed", utf8("{\"v\":1,\"jobId\":\"" + job
        + "\",\"objectKey\":\"users/x/y.mp3\",\"bytes\":42,\"durationSeconds\":1.5,"
        + "\"filename\":\"a\\\"\\r\\nX: y.mp3\"}"));
    assertThat(hostile.filename()).isNull();
    assertThat(hostile.objectKey()).isEqualTo("users/x/y.mp3");
  }

  @Test
  void failedCarriesTheReasonAndABoundedMessage() {
    String longMessage = "x".repeat(5000);
    StatusChange change = events.read("conversion.failed",
        utf8("{\"v\":1,\"jobId\":\"" + job + "\",\"reason\":\"not_audio\",\"message\":\"" + longMessage + "\"}"));
    assertThat(change.status()).isEqualTo(JobStatus.FAILED);
    assertThat(change.errorReason()).isEqualTo("not_audio");
    assertThat(change.errorMessage()).hasSize(StatusEvents.MAX_MESSAGE_LENGTH);
    assertThat(change.bytes()).isNull();
    assertThat(events.read("conversion.failed", utf8("{\"v\":1,\"jobId\":\"" + job + "\"}")).errorReason())
        .isEqualTo("internal_error");
  }

  @Test
  void eventsThatCanNeverBeAppliedAreUnreadable() {
    assertThatThrownBy(() -> events.read("conversion.requested", utf8("{\"jobId\":\"" + job + "\"}")))
        .isInstanceOf(UnreadableStatusEvent.class);
    assertThatThrownBy(() -> events.read("conversion.started", utf8("not json")))
        .isInstanceOf(UnreadableStatusEvent.class);
    assertThatThrownBy(() -> events.read("conversion.started", utf8("{\"jobId\":\"42\"}")))
        .isInstanceOf(UnreadableStatusEvent.class);
    assertThatThrownBy(() -> events.read("conversion.completed", utf8("{\"jobId\":\"" + job + "\",\"bytes\":\"many\"}")))
        .isInstanceOf(UnreadableStatusEvent.class);
    assertThatThrownBy(() -> events.read(null, null)).isInstanceOf(UnreadableStatusEvent.class);
  }
}
