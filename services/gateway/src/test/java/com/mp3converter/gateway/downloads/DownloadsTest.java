package com.mp3converter.gateway.downloads;

import com.mp3converter.shared.messages.OutputFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.gateway.conversions.Conversions;
import com.mp3converter.gateway.conversions.StatusChange;
import com.mp3converter.gateway.conversions.StoreDatabase;
import com.mp3converter.gateway.downloads.Downloads.Download;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.DownloadTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;
import org.apache.camel.support.DefaultMessage;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class DownloadsTest {
  static final StoreDatabase DATABASE = StoreDatabase.create();
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  private final DownloadTokens tokens =
      new DownloadTokens(KEY, "mp3-converter-gateway", "mp3-converter-download", Duration.ofDays(7), NOW);
  private final Conversions conversions = DATABASE.conversions(Clock.systemUTC());
  private final Downloads downloads = new Downloads(tokens, conversions, Clock.systemUTC(),
      new SimpleMeterRegistry().counter("served"));
  private final DownloadLinks links =
      new DownloadLinks(new RequestBodies(16384), tokens, conversions, "https://mp3.example/", Clock.systemUTC());
  private final String job = UUID.randomUUID().toString();
  private final String user = UUID.randomUUID().toString();

  @AfterAll
  static void closeDatabase() {
    DATABASE.close();
  }

  private static void assertStatus(ThrowingCallable call, int status) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.problem().status()).isEqualTo(status));
  }

  /** A job of {@code user}'s, stored, and completed unless {@code completed} is false. */
  private String storedJob(String user, String sourceUrl, boolean completed) {
    String id = UUID.randomUUID().toString();
    conversions.insert(new ConversionRequested(
        1, id, user, "e@example.com", "E", sourceUrl, "192k", Instant.now()));
    if (completed) {
      conversions.applyStatus(StatusChange.completed(UUID.fromString(id), ObjectKeys.output(user, id, OutputFormat.DEFAULT), 3, 1.0));
    }
    return id;
  }

  private static byte[] linkRequest(String conversionId) {
    return ("{\"conversionId\":\"" + conversionId + "\"}").getBytes(StandardCharsets.UTF_8);
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
    String completed = storedJob(user, "https://a.example/x.wav", true);
    JsonNode link = Json.MESSAGES.readTree(links.issue(linkRequest(completed)));
    String url = link.get("url").asText();
    assertThat(url).startsWith("https://mp3.example/downloads/");
    assertThat(tokens.verify(url.substring(url.lastIndexOf('/') + 1)))
        .isEqualTo(new DownloadTokens.Grant(completed, user));
    // The link expires with the file (whole seconds, as tokens carry them), not a lifetime after it was issued.
    Instant fileExpires = conversions.find(UUID.fromString(completed)).orElseThrow().expiresAt();
    assertThat(Instant.parse(link.get("expiresAt").asText())).isEqualTo(fileExpires.truncatedTo(ChronoUnit.SECONDS));

    String processing = storedJob(user, "https://a.example/y.wav", false);
    conversions.applyStatus(StatusChange.started(UUID.fromString(processing)));
    assertStatus(() -> links.issue(linkRequest(processing)), 409);
    assertStatus(() -> links.issue(linkRequest(UUID.randomUUID().toString())), 404);
    assertStatus(() -> links.issue(linkRequest("x")), 400);
    assertStatus(() -> links.issue("{}".getBytes(StandardCharsets.UTF_8)), 400);
  }

  @Test
  void anExpiredFileHasNoLinkAndNoDownloadEitherWay() {
    String id = storedJob(user, "https://a.example/old.wav", true);
    DATABASE.jdbc().update("UPDATE conversions SET expires_at = now() - interval '1 second' WHERE id = ?",
        UUID.fromString(id));
    assertStatus(() -> links.issue(linkRequest(id)), 410);
    // An older link, still valid by its token, and the API's way: the file is gone.
    DownloadTokens sevenDays = new DownloadTokens(KEY, "mp3-converter-gateway", "mp3-converter-download",
        Duration.ofDays(7), Clock.systemUTC());
    assertStatus(() -> downloads.locate(sevenDays.issue(id, user).token(), null, new DefaultMessage(DATABASE.camel())),
        410);
    assertStatus(() -> downloads.locateOwned(new AccessClaims(user, "e@example.com", "E", true), id, null,
        new DefaultMessage(DATABASE.camel())), 410);
  }

  @Test
  void theApiDownloadIsTheCallersOwnCompletedJob() {
    String id = storedJob(user, "https://a.example/albums/My%20Song.wav", true);
    AccessClaims owner = new AccessClaims(user, "e@example.com", "E", true);
    Download download = downloads.locateOwned(owner, id, "bytes=0-1", new DefaultMessage(DATABASE.camel()));
    assertThat(download.key()).isEqualTo(ObjectKeys.output(user, id, OutputFormat.DEFAULT));
    assertThat(download.filename()).isEqualTo("My_Song.mp3");
    assertThat(download.rangeHeader()).isEqualTo("bytes=0-1");

    AccessClaims stranger = new AccessClaims(UUID.randomUUID().toString(), "s@example.com", "S", true);
    assertStatus(() -> downloads.locateOwned(stranger, id, null, new DefaultMessage(DATABASE.camel())), 404);
    String queued = storedJob(user, "https://a.example/q.wav", false);
    assertStatus(() -> downloads.locateOwned(owner, queued, null, new DefaultMessage(DATABASE.camel())), 404);
    assertStatus(() -> downloads.locateOwned(owner, "../" + id, null, new DefaultMessage(DATABASE.camel())), 404);
  }

  @Test
  void aDownloadIsTheCompletedMp3OfTheTokensUser() {
    String id = storedJob(user, "https://a.example/albums/My%20Song.wav", true);
    Download download = downloads.locate(
        tokens.issue(id, user).token(), "bytes=0-1", new DefaultMessage(DATABASE.camel()));
    assertThat(download.key()).isEqualTo(ObjectKeys.output(user, id, OutputFormat.DEFAULT));
    assertThat(download.filename()).isEqualTo("My_Song.mp3");
    assertThat(download.rangeHeader()).isEqualTo("bytes=0-1");
    assertThat(download.response()).isNull();

    // Another user's token for the job, and a job that is not completed, are both simply not available.
    String stranger = UUID.randomUUID().toString();
    assertStatus(() -> downloads.locate(tokens.issue(id, stranger).token(), null, new DefaultMessage(DATABASE.camel())),
        404);
    String queued = storedJob(user, "https://a.example/q.wav", false);
    assertStatus(() -> downloads.locate(tokens.issue(queued, user).token(), null, new DefaultMessage(DATABASE.camel())),
        404);
  }

  @Test
  void theObjectsSizeAndTheRangeHeaderDecideWhatIsSent() {
    HeadObjectResponse head = HeadObjectResponse.builder().contentLength(100L).build();
    Download ranged = downloads.plan(head, new Download("k", "f.mp3", OutputFormat.DEFAULT, "bytes=10-19", null, null, false));
    assertThat(ranged.range()).isEqualTo(new ByteRange(10, 19, 100));
    assertThat(ranged.partial()).isTrue();
    Download whole = downloads.plan(head, new Download("k", "f.mp3", OutputFormat.DEFAULT, null, null, null, false));
    assertThat(whole.range()).isEqualTo(new ByteRange(0, 99, 100));
    assertThat(whole.partial()).isFalse();
    assertStatus(() -> downloads.plan(head, new Download("k", "f.mp3", OutputFormat.DEFAULT, "bytes=100-", null, null, false)), 416);
  }
}
