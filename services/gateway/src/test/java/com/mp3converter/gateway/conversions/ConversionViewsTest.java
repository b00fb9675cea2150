package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.gateway.downloads.DownloadLinks;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.token.DownloadTokens;
import java.time.Duration;
import java.time.ZoneOffset;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ConversionViewsTest {
  static final StoreDatabase DATABASE = StoreDatabase.create();

  private final Conversions conversions = DATABASE.conversions(Clock.systemUTC());
  private static final Instant NOW = Instant.parse("2026-01-03T00:00:00Z");
  private final DownloadLinks links = new DownloadLinks(new RequestBodies(16384),
      new DownloadTokens(new byte[32], "mp3-converter-gateway", "mp3-converter-download", Duration.ofDays(7),
          Clock.fixed(NOW, ZoneOffset.UTC)),
      conversions, "https://mp3.example/", Clock.fixed(NOW, ZoneOffset.UTC));
  private final ConversionViews views = new ConversionViews(conversions, links, Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterAll
  static void closeDatabase() {
    DATABASE.close();
  }

  private static Conversion conversion(JobStatus status, Instant created) {
    return new Conversion(UUID.randomUUID(), UUID.randomUUID(), status, "https://a.example/x.wav", "192k", 1234L, 3.5,
        "not_audio", "The file is not an audio file we can read.", created, created.plusSeconds(5),
        status.isFinal() ? created.plus(Duration.ofDays(7)) : null, null);
  }

  private static AccessClaims user(UUID id) {
    return new AccessClaims(id.toString(), "u@example.com", "U", true);
  }

  @Test
  void showsWhatEachStateCarries() {
    Instant t = Instant.parse("2026-01-01T00:00:00.123456Z");
    Map<String, Object> completed = views.view(conversion(JobStatus.COMPLETED, t));
    assertThat(completed).containsEntry("status", "completed").containsEntry("bytes", 1234L)
        .containsEntry("durationSeconds", 3.5).containsEntry("createdAt", "2026-01-01T00:00:00.123456Z")
        .containsEntry("updatedAt", "2026-01-01T00:00:05.123456Z")
        .containsEntry("expiresAt", "2026-01-08T00:00:00.123456Z").doesNotContainKey("error");
    assertThat(completed.get("download")).isInstanceOfSatisfying(Map.class, download -> {
      assertThat(download).containsEntry("bytes", 1234L).containsEntry("durationSeconds", 3.5)
          .containsEntry("filename", "x.mp3").containsEntry("expiresAt", "2026-01-08T00:00:00Z");
      assertThat((String) download.get("url")).startsWith("https://mp3.example/downloads/");
    });
    Map<String, Object> failed = views.view(conversion(JobStatus.FAILED, t));
    assertThat(failed).containsEntry("error", Map.of(
        "reason", "not_audio", "message", "The file is not an audio file we can read."))
        .containsEntry("expiresAt", "2026-01-08T00:00:00.123456Z").doesNotContainKeys("bytes", "download");
    assertThat(views.view(conversion(JobStatus.QUEUED, t))).doesNotContainKeys("bytes", "error", "download", "expiresAt");
  }

  @Test
  void anExpiredJobShowsItsExpiryButNoDownload() {
    Map<String, Object> expired = views.view(conversion(JobStatus.COMPLETED, NOW.minus(Duration.ofDays(8))));
    assertThat(expired).containsEntry("status", "completed").containsKey("expiresAt").doesNotContainKey("download");
  }

  @Test
  void unknownForeignAndMalformedIdsAre404() throws Exception {
    UUID owner = UUID.randomUUID();
    ConversionRequested job = ConversionsTest.job(owner, Instant.now());
    conversions.insert(job);
    assertThat(Json.MESSAGES.readTree(views.one(user(owner), job.jobId())).get("status").asText()).isEqualTo("queued");

    for (String id : new String[] {job.jobId(), UUID.randomUUID().toString()}) {
      assertThatThrownBy(() -> views.one(user(UUID.randomUUID()), id))
          .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.problem().status()).isEqualTo(404));
    }
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
    List<Conversion> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rows.add(conversion(JobStatus.QUEUED, Instant.parse("2026-01-01T00:00:00Z").minusSeconds(i)));
    }
    JsonNode page = Json.MESSAGES.readTree(views.render(rows, 2));
    assertThat(page.get("items")).hasSize(2);
    PageCursor next = PageCursor.decode(page.get("next").asText());
    assertThat(next.id()).isEqualTo(rows.get(1).id());
    assertThat(next.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").minusSeconds(1));

    JsonNode last = Json.MESSAGES.readTree(views.render(rows.subList(0, 2), 2));
    assertThat(last.get("next").isNull()).isTrue();
  }

  @Test
  void theCallersJobsArePagedNewestFirst() throws Exception {
    UUID owner = UUID.randomUUID();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ConversionRequested job = ConversionsTest.job(owner, Instant.now().minusSeconds(10 - i));
      conversions.insert(job);
      ids.add(job.jobId());
    }
    conversions.insert(ConversionsTest.job(UUID.randomUUID(), Instant.now()));

    JsonNode first = Json.MESSAGES.readTree(views.page(user(owner), "2", null));
    assertThat(first.get("items")).extracting(item -> item.get("id").asText()).containsExactly(ids.get(2), ids.get(1));
    JsonNode second = Json.MESSAGES.readTree(views.page(user(owner), "2", first.get("next").asText()));
    assertThat(second.get("items")).extracting(item -> item.get("id").asText()).containsExactly(ids.get(0));
    assertThat(second.get("next").isNull()).isTrue();
    assertThat(Json.MESSAGES.readTree(views.page(user(owner), null, "")).get("items")).hasSize(3);
    assertThatThrownBy(() -> views.page(user(owner), null, "bogus"))
        .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.problem().status()).isEqualTo(400));
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
