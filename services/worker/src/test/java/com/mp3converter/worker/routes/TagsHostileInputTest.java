package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.Ffprobe;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.worker.media.TrackTags;
import com.mp3converter.worker.routes.JobBus.Event;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A stranger's tags through the whole worker (real broker, ffmpeg, S3Proxy): control characters, line breaks, bidi
 * overrides, path names, 10 kB values, emoji, values that are not numbers. What reaches the MP3 is text only and
 * bounded, and the file's name is one no header or file system can be fooled by.
 */
@TestPropertySource(properties = {"mp3.allow-private-sources=true", "mp3.worker.retry.delay-ms=100"})
class TagsHostileInputTest extends WorkerRouteTestSupport {
  private static final String BUCKET = "mp3-tags-test";
  private static final Duration OUTCOME = Duration.ofSeconds(60);

  private static LocalS3 s3;

  @BeforeAll
  static void startStorage() throws Exception {
    s3 = LocalS3.start().createBucket(BUCKET);
  }

  @DynamicPropertySource
  static void storage(DynamicPropertyRegistry registry) {
    useStorage(registry, s3, BUCKET);
  }

  @AfterAll
  static void stopStorage() throws Exception {
    s3.close();
    s3.deleteFolder();
  }

  @AfterEach
  void everyTempFolderIsGone() throws Exception {
    assertNoJobLeftInTheWorkDir();
  }

  @Test
  void hostileTagsArriveAsBoundedTextOnly() throws Exception {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("TITLE", "\u202egpj.exe\r\nX-Injected: 1\u0001\u001b[2J\u200b🎵");
    tags.put("ARTIST", "A".repeat(10_240));
    tags.put("ALBUM", "\u2066../../etc/passwd\u2069\n");
    tags.put("TRACKNUMBER", "1; rm -rf /");
    tags.put("DATE", "DROP TABLE conversions");
    JsonNode completed = convert("hostile.flac", tags);

    assertThat(completed.path("filename").asText()).isEqualTo("gpj.exe_X-Injected_1_2J.mp3");
    Map<String, String> written = writtenTags(completed);
    assertThat(written).containsOnly(
        Map.entry("title", "gpj.exe X-Injected: 1[2J🎵"),
        Map.entry("artist", "A".repeat(TrackTags.MAX_LENGTH)),
        Map.entry("album", "../../etc/passwd"));
  }

  @Test
  void emptyAndUnnameableTagsAreDroppedAndTheFileIsNamedAfterTheUrl() throws Exception {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("tItLe", "🎵🎶");
    tags.put("ARTIST", "   \t ");
    tags.put("ALBUM", "\u202e\u202d\u0007");
    tags.put("TRACKNUMBER", "0");
    tags.put("DATE", "99");
    JsonNode completed = convert("..%2F..%2Fetc%2Fpasswd.flac", tags);

    assertThat(completed.path("filename").asText()).isEqualTo("etc_passwd.mp3");
    assertThat(writtenTags(completed)).containsOnly(Map.entry("title", "🎵🎶"));
  }

  /** Serves a tagged FLAC as {@code name} (a raw URL path segment), converts it and returns the completed event. */
  private JsonNode convert(String name, Map<String, String> tags) throws Exception {
    Path flac = AudioFixtures.writeTaggedFlac(Files.createTempFile(sources, "tagged-", ".flac"), 0.5, tags, true);
    byte[] bytes = Files.readAllBytes(flac);
    // The server sees the path decoded.
    server.handle("/" + URLDecoder.decode(name, StandardCharsets.UTF_8), exchange -> {
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    });
    ConversionRequested job = JobBus.job(server.url(name));
    bus.publish(job);
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);
    assertThat(events).last().extracting(Event::routingKey).isEqualTo(Topology.COMPLETED);
    return events.get(events.size() - 1).body();
  }

  /** The MP3's tags as ffprobe reads them, without the one ffmpeg writes about itself; no control characters. */
  private static Map<String, String> writtenTags(JsonNode completed) throws Exception {
    Path mp3 = Files.createTempFile(sources, "downloaded-", ".mp3");
    try (S3Client client = s3.client()) {
      Files.write(mp3, client.getObjectAsBytes(b -> b.bucket(BUCKET).key(completed.path("objectKey").asText()))
          .asByteArray());
    }
    JsonNode probe = Json.MESSAGES.readTree(Ffprobe.json(mp3));
    assertThat(probe.path("streams")).extracting(s -> s.path("codec_type").asText()).containsExactly("audio");
    Map<String, String> written = new LinkedHashMap<>();
    probe.path("format").path("tags").fields().forEachRemaining(tag -> written.put(tag.getKey(), tag.getValue().asText()));
    written.remove("encoder");
    assertThat(String.join("", written.values())).doesNotContainPattern("[\\p{Cc}\\p{Cf}&&[^\u200d]]");
    return written;
  }
}
