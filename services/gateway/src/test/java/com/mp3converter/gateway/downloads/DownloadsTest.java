package com.mp3converter.gateway.downloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.DownloadTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class DownloadsTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  private final DownloadTokens tokens =
      new DownloadTokens(KEY, "mp3-converter-gateway", "mp3-converter-download", Duration.ofDays(7), NOW);
  private final Downloads downloads = new Downloads(tokens);
  private final String job = UUID.randomUUID().toString();
  private final String user = UUID.randomUUID().toString();

  private static void assertStatus(ThrowingCallable call, int status) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.problem().status()).isEqualTo(status));
  }

  @Test
  void aValidLinkGrantsItsJobToItsUser() {
    DownloadTokens.Grant grant = downloads.verify(tokens.issue(job, user).token());
    assertThat(grant).isEqualTo(new DownloadTokens.Grant(job, user));
  }

  @Test
  void forgedAndTamperedLinksAre403() {
    String token = tokens.issue(job, user).token();
    char last = token.charAt(token.length() - 5);
    String tampered = token.substring(0, token.length() - 5) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 4);
    assertStatus(() -> downloads.verify(tampered), 403);
    assertStatus(() -> downloads.verify("garbage"), 403);
    byte[] otherKey = new byte[32];
    DownloadTokens forger =
        new DownloadTokens(otherKey, "mp3-converter-gateway", "mp3-converter-download", Duration.ofDays(7), NOW);
    assertStatus(() -> downloads.verify(forger.issue(job, user).token()), 403);
    // A token for ids that are not ours (a leaked key would be needed to make one) is refused too.
    assertStatus(() -> downloads.verify(tokens.issue("../x", user).token()), 403);
  }

  @Test
  void expiredLinksAre410() {
    DownloadTokens old = new DownloadTokens(KEY, "mp3-converter-gateway", "mp3-converter-download",
        Duration.ofDays(7), Clock.offset(NOW, Duration.ofDays(-8)));
    assertStatus(() -> downloads.verify(old.issue(job, user).token()), 410);
  }

  @Test
  void linksAreIssuedOnlyForCompletedJobs() throws Exception {
    DownloadLinks links = new DownloadLinks(new RequestBodies(16384), tokens, "https://mp3.example/");
    Map<String, Object> completed = Map.of("id", UUID.fromString(job), "user_id", UUID.fromString(user), "status", "completed");
    JsonNode link = Json.MESSAGES.readTree(links.issue(List.of(completed)));
    String url = link.get("url").asText();
    assertThat(url).startsWith("https://mp3.example/downloads/");
    assertThat(tokens.verify(url.substring(url.lastIndexOf('/') + 1))).isEqualTo(new DownloadTokens.Grant(job, user));
    assertThat(Instant.parse(link.get("expiresAt").asText())).isEqualTo(NOW.instant().plus(Duration.ofDays(7)));

    Map<String, Object> processing = Map.of("id", UUID.fromString(job), "user_id", UUID.fromString(user), "status", "processing");
    assertStatus(() -> links.issue(List.of(processing)), 409);
    assertStatus(() -> links.issue(List.of()), 404);
  }
}
