package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.ProblemException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConversionViewsTest {
  private final ConversionViews views = new ConversionViews();

  private static Map<String, Object> row(String status, Instant created) {
    Map<String, Object> row = new HashMap<>();
    row.put("id", UUID.randomUUID());
    row.put("status", status);
    row.put("source_url", "https://a.example/x.wav");
    row.put("bitrate", "192k");
    row.put("created_at", Timestamp.from(created));
    row.put("updated_at", Timestamp.from(created.plusSeconds(5)));
    row.put("bytes", 1234L);
    row.put("duration_seconds", 3.5);
    row.put("error_reason", "not_audio");
    row.put("error_message", "The file is not an audio file we can read.");
    return row;
  }

  @Test
  void showsWhatEachStateCarries() {
    Instant t = Instant.parse("2026-01-01T00:00:00.123456Z");
    Map<String, Object> completed = ConversionViews.view(row("completed", t));
    assertThat(completed).containsEntry("status", "completed").containsEntry("bytes", 1234L)
        .containsEntry("durationSeconds", 3.5).containsEntry("createdAt", "2026-01-01T00:00:00.123456Z")
        .doesNotContainKey("error");
    Map<String, Object> failed = ConversionViews.view(row("failed", t));
    assertThat(failed).containsEntry("error", Map.of(
        "reason", "not_audio", "message", "The file is not an audio file we can read.")).doesNotContainKey("bytes");
    assertThat(ConversionViews.view(row("queued", t))).doesNotContainKeys("bytes", "error");
  }

  @Test
  void unknownAndMalformedIdsAre404() {
    assertThatThrownBy(() -> views.one(List.of())).isInstanceOf(ProblemException.class);
    for (String id : new String[] {"nope", "1-1-1-1-1", "", null, UUID.randomUUID() + "x"}) {
      assertThatThrownBy(() -> ConversionViews.jobId(id))
          .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.problem().status()).isEqualTo(404));
    }
  }

  @Test
  void limitsArePositiveAndBounded() {
    assertThat(ConversionViews.limit(null)).isEqualTo(20);
    assertThat(ConversionViews.limit("1")).isEqualTo(1);
    assertThat(ConversionViews.limit("100")).isEqualTo(100);
    for (String bad : new String[] {"0", "-1", "101", "abc", "1.5"}) {
      assertThatThrownBy(() -> ConversionViews.limit(bad))
          .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.problem().status()).isEqualTo(400));
    }
  }

  @Test
  void pagesEndWithACursorToTheNextOne() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rows.add(row("queued", Instant.parse("2026-01-01T00:00:00Z").minusSeconds(i)));
    }
    JsonNode page = Json.MESSAGES.readTree(views.page(rows, 2));
    assertThat(page.get("items")).hasSize(2);
    PageCursor next = PageCursor.decode(page.get("next").asText());
    assertThat(next.id()).isEqualTo(rows.get(1).get("id"));
    assertThat(next.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").minusSeconds(1));

    JsonNode last = Json.MESSAGES.readTree(views.page(rows.subList(0, 2), 2));
    assertThat(last.get("next").isNull()).isTrue();
  }

  @Test
  void cursorsRoundTripAndForgeriesAre400() {
    PageCursor cursor = new PageCursor(Instant.parse("2026-05-06T07:08:09.000001Z"), UUID.randomUUID());
    assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    for (String bad : new String[] {"!!!", "bm9wZQ", "MTIz"}) {
      assertThatThrownBy(() -> PageCursor.decode(bad))
          .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.problem().status()).isEqualTo(400));
    }
  }
}
