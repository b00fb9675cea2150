package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.Ffprobe;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.worker.WorkerProperties;
import com.mp3converter.worker.routes.JobBus.Event;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker's routes end to end on real parts: RabbitMQ on 127.0.0.1, ffmpeg, S3Proxy, and sources served
 * from loopback (so private sources are allowed here; SsrfRoutesHostileInputTest runs with them refused).
 */
@TestPropertySource(properties = {
  "mp3.allow-private-sources=true",
  "mp3.max-source-bytes=" + WorkerRoutesTest.CAP,
  "mp3.worker.concurrency=2",
  "mp3.worker.retry.delay-ms=100",
  "mp3.source.read-timeout=5s",
  "mp3.source.total-timeout=4s",
})
class WorkerRoutesTest extends WorkerStorageRouteTestSupport {
  static final long CAP = 40_000_000;
  private static final Duration OUTCOME = Duration.ofSeconds(60);

  @Autowired
  WorkerProperties properties;

  @Autowired
  MeterRegistry meters;

  @AfterEach
  void everyTempFolderIsGone() throws Exception {
    assertNoJobLeftInTheWorkDir();
  }

  @Test
  void aWavBecomesAnMp3OfTheSameLengthInS3() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("song.wav"), 3.0);
    ConversionRequested job = JobBus.job(server.url("song.wav"));

    bus.publish(job);
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);

    assertThat(events).extracting(Event::routingKey).containsExactly(Topology.STARTED, Topology.COMPLETED);
    var completed = events.get(1).body();
    String key = ObjectKeys.output(job.userId(), job.jobId(), OutputFormat.MP3);
    assertThat(key).endsWith("/" + job.jobId() + ".mp3");
    assertThat(completed.path("objectKey").asText()).isEqualTo(key);
    assertThat(completed.path("email").asText()).isEqualTo("victim@example.org");
    Path mp3 = download(key);
    assertThat(Ffprobe.formatName(mp3)).isEqualTo("mp3");
    assertThat(Ffprobe.durationSeconds(mp3)).isCloseTo(3.0, within(0.1));
    assertThat(completed.path("bytes").asLong()).isEqualTo(Files.size(mp3));
    assertThat(completed.path("durationSeconds").asDouble()).isCloseTo(3.0, within(0.1));
    // An untagged source is named after the URL's file name.
    assertThat(completed.path("filename").asText()).isEqualTo("song.mp3");
    // Each step of the job was timed under mp3_conversion_seconds (the publish of completed ends after it arrived).
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stepCounts()).containsKeys(
        "queue_wait", "download", "probe", "convert", "encode", "upload", "publish", "job"));
    assertThat(stepCounts().get("publish")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aTaggedFlacKeepsItsFiveTagsAsId3v23DropsEverythingElseAndIsNamedAfterItsTitle() throws Exception {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("TITLE", "Für Elise");
    tags.put("ARTIST", "Ludwig van Beethoven");
    tags.put("ALBUM", "Bagatelles");
    tags.put("TRACKNUMBER", "7");
    tags.put("DATE", "1810-04-27");
    tags.put("COMMENT", "visit https://evil.example");
    tags.put("LYRICS", "la la la");
    AudioFixtures.writeTaggedFlac(sources.resolve("track01.flac"), 1.0, tags, true);
    ConversionRequested job = JobBus.job(server.url("track01.flac"));

    bus.publish(job);
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);

    assertThat(events).last().extracting(Event::routingKey).isEqualTo(Topology.COMPLETED);
    assertThat(events.get(events.size() - 1).body().path("filename").asText()).isEqualTo("Fur_Elise.mp3");
    Path mp3 = download(ObjectKeys.output(job.userId(), job.jobId(), OutputFormat.MP3));
    JsonNode probe = Json.MESSAGES.readTree(Ffprobe.json(mp3));
    Map<String, String> written = new LinkedHashMap<>();
    probe.path("format").path("tags").fields().forEachRemaining(tag -> written.put(tag.getKey(), tag.getValue().asText()));
    // ffmpeg names itself (encoder); nothing else but the five tags is there.
    written.remove("encoder");
    assertThat(written).containsOnly(
        Map.entry("title", "Für Elise"), Map.entry("artist", "Ludwig van Beethoven"),
        Map.entry("album", "Bagatelles"), Map.entry("track", "7"), Map.entry("date", "1810"));
    // ID3v2.3, not ffmpeg's default 2.4: the header's major version byte.
    byte[] head = Arrays.copyOf(Files.readAllBytes(mp3), 4);
    assertThat(new String(head, 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("ID3");
    assertThat(head[3]).isEqualTo((byte) 3);
    // The cover was dropped (MP3_ID3_PICTURES is off by default): one stream, audio.
    assertThat(probe.path("streams")).extracting(s -> s.path("codec_type").asText()).containsExactly("audio");
  }

  @Test
  void theSourceSeesTheUrlAsGivenAndNoHeaderOfOursButTheUserAgent() throws Exception {
    byte[] wav = Files.readAllBytes(AudioFixtures.writeSineWav(sources.resolve("quiet-source.wav"), 0.5));
    List<String> rawQueries = new CopyOnWriteArrayList<>();
    server.handle("/quiet.wav", exchange -> {
      rawQueries.add(exchange.getRequestURI().getRawQuery());
      exchange.sendResponseHeaders(200, wav.length);
      exchange.getResponseBody().write(wav);
    });
    // A signed URL's escapes must arrive as sent, and Camel must not resolve placeholders in it.
    String query = "sig=a%2Bb%26c%3Dd&p=%7B%7Bmp3.s3.secret-key%7D%7D";
    ConversionRequested job = JobBus.job(server.url("quiet.wav?" + query));

    bus.publish(job);
    assertThat(bus.awaitOutcome(job.jobId(), OUTCOME)).last().extracting(Event::routingKey).isEqualTo(Topology.COMPLETED);

    assertThat(rawQueries).containsExactly(query);
    var seen = server.requests().stream().filter(r -> r.path().equals("/quiet.wav")).toList();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).method()).isEqualTo("GET");
    var headers = seen.get(0).headers();
    assertThat(headers.keySet().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()))
        .isSubsetOf(Set.of("host", "user-agent", "connection"));
    assertThat(headers.get("User-agent")).singleElement().asString().startsWith("mp3-converter-worker/");
    assertThat(headers.values().toString()).doesNotContain("victim", "secret", "Bearer");
  }

  @Test
  void followsFiveRedirectsAndNoMore() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("far.wav"), 1.0);
    // five hops, relative and absolute Locations, to the file
    server.redirect("/ok1", "/ok2").redirect("/ok2", server.url("ok3")).redirect("/ok3", "ok4")
        .redirect("/ok4", server.url("ok5")).redirect("/ok5", "/far.wav");
    // six hops
    server.redirect("/loop1", "/loop2").redirect("/loop2", "/loop3").redirect("/loop3", "/loop4")
        .redirect("/loop4", "/loop5").redirect("/loop5", "/loop6").redirect("/loop6", "/far.wav");
    ConversionRequested five = JobBus.job(server.url("ok1"));
    ConversionRequested six = JobBus.job(server.url("loop1"));

    bus.publish(five);
    bus.publish(six);

    assertThat(bus.awaitOutcome(five.jobId(), OUTCOME)).last().extracting(Event::routingKey)
        .isEqualTo(Topology.COMPLETED);
    assertFailed(six, FailureReason.SOURCE_UNREACHABLE);
    assertThat(server.requests().stream().filter(r -> r.path().startsWith("/loop"))).hasSize(6);
  }

  @Test
  void aMissingSourceIsNotFoundAtOnce() throws Exception {
    ConversionRequested job = JobBus.job(server.url("nothing-here.wav"));

    bus.publish(job);

    assertFailed(job, FailureReason.SOURCE_NOT_FOUND);
    assertThat(server.requests().stream().filter(r -> r.path().equals("/nothing-here.wav"))).hasSize(1);
  }

  @Test
  void aServerErrorIsRetriedThenTheJobFails() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    server.handle("/broken.wav", exchange -> {
      hits.incrementAndGet();
      exchange.sendResponseHeaders(503, -1);
    });
    ConversionRequested job = JobBus.job(server.url("broken.wav"));

    bus.publish(job);

    assertFailed(job, FailureReason.SOURCE_UNREACHABLE);
    assertThat(hits).hasValue(3);
  }

  /**
   * A connection that breaks in the middle of the body: SourceDownload fails while writing it into the job folder,
   * with camel-http's response message (which has none of Camel's redelivery headers) in place. The attempts are
   * still used up.
   */
  @Test
  void aBodyThatBreaksOffHalfWayIsRetriedUntilTheAttemptsAreUsedThenTheJobFails() throws Exception {
    byte[] wav = Files.readAllBytes(AudioFixtures.writeSineWav(sources.resolve("cut-source.wav"), 1.0));
    AtomicInteger hits = new AtomicInteger();
    server.handle("/cut.wav", exchange -> {
      hits.incrementAndGet();
      exchange.sendResponseHeaders(200, wav.length);
      exchange.getResponseBody().write(wav, 0, wav.length / 2);
      exchange.getResponseBody().flush();
      // The server drops the connection with half the announced body sent.
      throw new IOException("the test's source breaks off half-way");
    });
    ConversionRequested job = JobBus.job(server.url("cut.wav"));

    bus.publish(job);

    assertFailed(job, FailureReason.SOURCE_UNREACHABLE);
    assertThat(hits).hasValue(properties.worker().retry().maxAttempts());
  }

  @Test
  void aPassingServerErrorCostsOneRetry() throws Exception {
    byte[] wav = Files.readAllBytes(AudioFixtures.writeSineWav(sources.resolve("flaky-source.wav"), 1.0));
    AtomicInteger hits = new AtomicInteger();
    server.handle("/flaky.wav", exchange -> {
      if (hits.incrementAndGet() == 1) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      exchange.sendResponseHeaders(200, wav.length);
      exchange.getResponseBody().write(wav);
    });
    ConversionRequested job = JobBus.job(server.url("flaky.wav"));

    bus.publish(job);

    assertThat(bus.awaitOutcome(job.jobId(), OUTCOME)).extracting(Event::routingKey)
        .containsExactly(Topology.STARTED, Topology.COMPLETED);
    assertThat(hits).hasValue(2);
  }

  @Test
  void aTextFileNamedWavIsNotAudio() throws Exception {
    Files.writeString(sources.resolve("notes.wav"), "Dear diary, today I pretended to be a WAV file.\n".repeat(50));
    assertNotAudio("notes.wav");
  }

  @Test
  void anImageNamedWavIsNotAudio() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
        0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, (byte) 0x90, 'w', 'S', (byte) 0xde};
    Files.write(sources.resolve("cover.wav"), png);
    assertNotAudio("cover.wav");
  }

  @Test
  void playlistsThatPointAtLocalFilesAreNotAudio() throws Exception {
    Path target = AudioFixtures.writeSineWav(sources.resolve("inside.wav"), 1.0).toAbsolutePath();
    Files.writeString(sources.resolve("concat.wav"), "ffconcat version 1.0\nfile '" + target + "'\n");
    Files.writeString(sources.resolve("hls.wav"),
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\nfile://" + target + "\n#EXT-X-ENDLIST\n");
    assertNotAudio("concat.wav");
    assertNotAudio("hls.wav");
  }

  @Test
  void anAnnouncedOversizedSourceIsRefusedBeforeItsBody() throws Exception {
    AtomicLong written = new AtomicLong();
    server.handle("/huge.wav", exchange -> writeZeros(exchange, CAP + 10_000_000, CAP + 10_000_000, written));
    ConversionRequested job = JobBus.job(server.url("huge.wav"));

    bus.publish(job);

    assertFailed(job, FailureReason.SOURCE_TOO_LARGE);
    // What the loopback socket buffers took before the client hung up; far from the body.
    assertThat(written.get()).isLessThan(CAP / 2);
  }

  @Test
  void anEndlessSourceIsCutAtTheCap() throws Exception {
    AtomicLong written = new AtomicLong();
    server.handle("/endless.wav", exchange -> writeZeros(exchange, 0, 4 * CAP, written));
    ConversionRequested job = JobBus.job(server.url("endless.wav"));

    bus.publish(job);

    assertFailed(job, FailureReason.SOURCE_TOO_LARGE);
    assertThat(written.get()).isGreaterThan(CAP).isLessThan(CAP + 20_000_000);
  }

  /**
   * camel-http hands over no body for this content type (it would deserialize one only if allowed), and closes the
   * response at the end of the job instead: then the body, never read, is dropped with its connection, not drained.
   */
  @Test
  void aBodyTypedAsASerializedJavaObjectIsNeitherReadNorDrained() throws Exception {
    AtomicLong written = new AtomicLong();
    server.handle("/object.wav", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "application/x-java-serialized-object");
      writeZeros(exchange, 0, 4 * CAP, written);
    });
    ConversionRequested job = JobBus.job(server.url("object.wav"));

    bus.publish(job);

    assertFailed(job, FailureReason.NOT_AUDIO);
    // What the loopback socket buffers took; far from the body.
    assertThat(written.get()).isLessThan(CAP / 2);
  }

  @Test
  void aSlowDripIsStoppedAtTheDeadline() throws Exception {
    AtomicInteger drips = new AtomicInteger();
    server.handle("/drip.wav", StaticFileServer.drip(60, Duration.ofMillis(250), drips));
    ConversionRequested job = JobBus.job(server.url("drip.wav"));

    bus.publish(job);

    assertFailed(job, FailureReason.SOURCE_UNREACHABLE);
    assertThat(drips.get()).isLessThan(30);
  }

  @Test
  void anUnknownBitrateFailsTheJob() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("odd-bitrate.wav"), 0.5);
    ConversionRequested job = JobBus.job(server.url("odd-bitrate.wav"), "1000k");

    bus.publish(job);

    assertFailed(job, FailureReason.CONVERSION_FAILED);
  }

  @Test
  void aMessageThatIsNotAJobIsParkedAndTheWorkerGoesOn() throws Exception {
    String dlq = Topology.WORKER_QUEUE + ".dlq";
    String marker = "this is not a job " + UUID.randomUUID();

    bus.publishRaw(marker.getBytes(StandardCharsets.UTF_8));

    JobBus.Parked parked = bus.awaitParked(dlq, marker, OUTCOME);
    assertThat(parked.body()).isEqualTo(marker);
    assertThat(parked.header("x-failure-reason")).isEqualTo("not_a_job");
    AudioFixtures.writeSineWav(sources.resolve("after-poison.wav"), 0.5);
    ConversionRequested job = JobBus.job(server.url("after-poison.wav"));
    bus.publish(job);
    assertThat(bus.awaitOutcome(job.jobId(), OUTCOME)).last().extracting(Event::routingKey)
        .isEqualTo(Topology.COMPLETED);
    assertThat(RABBIT.messageCount(Topology.WORKER_QUEUE)).isZero();
  }

  @Test
  void aJobThatMayHaveRunBeforeAndWhoseMp3IsStoredIsAnnouncedAgainNotConvertedAgain() throws Exception {
    ConversionRequested job = JobBus.job(server.url("already-converted.wav"));
    String key = ObjectKeys.output(job.userId(), job.jobId(), OutputFormat.MP3);
    byte[] mp3 = new byte[4321];
    try (S3Client client = s3.client()) {
      client.putObject(b -> b.bucket(BUCKET).key(key).metadata(java.util.Map.of("duration-seconds", "2.500")),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(mp3));
    }

    // As the gateway's stuck-job check re-queues it (a broker redelivery is marked by the broker itself).
    bus.publish(job, java.util.Map.of("x-mp3-requeued", "true"));

    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);
    assertThat(events).extracting(Event::routingKey).containsExactly(Topology.COMPLETED);
    assertThat(events.get(0).body().path("objectKey").asText()).isEqualTo(key);
    assertThat(events.get(0).body().path("bytes").asLong()).isEqualTo(mp3.length);
    assertThat(events.get(0).body().path("durationSeconds").asDouble()).isEqualTo(2.5);
    // Neither downloaded nor converted again.
    assertThat(server.requests().stream().filter(r -> r.path().equals("/already-converted.wav"))).isEmpty();
  }

  @Test
  void aJobThatMayHaveRunBeforeButHasNoMp3YetIsConvertedAndAcknowledged() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("not-yet-converted.wav"), 1.0);
    ConversionRequested job = JobBus.job(server.url("not-yet-converted.wav"));

    bus.publish(job, java.util.Map.of("x-mp3-requeued", "true"));

    assertThat(bus.awaitOutcome(job.jobId(), OUTCOME)).extracting(Event::routingKey)
        .containsExactly(Topology.STARTED, Topology.COMPLETED);
    assertThat(server.requests().stream().filter(r -> r.path().equals("/not-yet-converted.wav"))).hasSize(1);
    // Acknowledged: stopping the consumers hands back whatever they hold unacknowledged, and nothing comes back.
    await().atMost(OUTCOME).until(() -> camel.getInflightRepository().size("worker-consume") == 0);
    camel.getRouteController().stopRoute("worker-consume");
    try {
      assertThat(RABBIT.messageCount(Topology.WORKER_QUEUE)).isZero();
    } finally {
      camel.getRouteController().startRoute("worker-consume");
    }
  }

  @Test
  void aJobFfmpegCannotConvertFailsOnceAndIsParkedForAnOperator() throws Exception {
    com.mp3converter.testing.PoisonAudio.writeUndecodableWav(sources.resolve("poison.wav"));
    ConversionRequested job = JobBus.job(server.url("poison.wav"));

    bus.publish(job);

    assertFailed(job, FailureReason.CONVERSION_FAILED);
    JobBus.Parked parked = bus.awaitParked(Topology.WORKER_QUEUE + ".dlq", job.jobId(), OUTCOME);
    assertThat(parked.header("x-failure-reason")).isEqualTo("conversion_failed");
    assertThat(parked.body()).contains(job.sourceUrl());
    // Not the kind of failure another attempt could fix: converted once, then failed.
    assertThat(server.requests().stream().filter(r -> r.path().equals("/poison.wav"))).hasSize(1);
  }

  /** Also the figure for the README: a 3-minute 44.1 kHz stereo WAV, from job message to completed event. */
  @Test
  void aThreeMinuteWavConvertsWithinSeconds() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("three-minutes.wav"), 180.0);
    ConversionRequested job = JobBus.job(server.url("three-minutes.wav"));

    Map<String, double[]> before = stepTimes();
    long started = System.nanoTime();
    bus.publish(job);
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);
    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

    assertThat(events).last().extracting(Event::routingKey).isEqualTo(Topology.COMPLETED);
    Path mp3 = download(ObjectKeys.output(job.userId(), job.jobId(), OutputFormat.MP3));
    assertThat(Ffprobe.durationSeconds(mp3)).isCloseTo(180.0, within(0.1));
    System.out.printf("3-minute WAV (31.8 MB) -> MP3 192k: %d ms from job message to conversion.completed%n", millis);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> stepTimes().get("publish")[1] >= before.getOrDefault("publish", new double[2])[1] + 2);
    Map<String, double[]> after = stepTimes();
    System.out.println("  steps (ms): " + after.entrySet().stream()
        .map(e -> {
          double[] earlier = before.getOrDefault(e.getKey(), new double[2]);
          return e.getKey() + " " + Math.round(e.getValue()[0] - earlier[0]);
        })
        .collect(Collectors.joining(", ")));
  }

  /** The worker's step timers (mp3_conversion_seconds by step) that have recorded anything: step -> count. */
  private Map<String, Long> stepCounts() {
    return stepTimes().entrySet().stream().filter(e -> e.getValue()[1] > 0)
        .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue()[1]));
  }

  /** step -> {total milliseconds, count} of mp3_conversion_seconds. */
  private Map<String, double[]> stepTimes() {
    return meters.find("mp3.conversion").timers().stream().collect(Collectors.toMap(
        t -> t.getId().getTag("step"),
        t -> new double[] {t.totalTime(TimeUnit.MILLISECONDS), t.count()}, (a, b) -> a, TreeMap::new));
  }

  private void assertNotAudio(String file) throws Exception {
    ConversionRequested job = JobBus.job(server.url(file));
    bus.publish(job);
    assertFailed(job, FailureReason.NOT_AUDIO);
  }

  private void assertFailed(ConversionRequested job, FailureReason reason) throws Exception {
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);
    Event outcome = events.get(events.size() - 1);
    assertThat(outcome.routingKey()).isEqualTo(Topology.FAILED);
    assertThat(outcome.reason()).isEqualTo(reason.code());
    assertThat(outcome.body().path("message").asText()).isEqualTo(reason.userMessage());
    assertThat(outcome.body().path("userId").asText()).isEqualTo(job.userId());
    assertThat(outcome.body().path("email").asText()).isEqualTo(job.email());
  }

  private static void writeZeros(HttpExchange exchange, long announced, long max, AtomicLong written) {
    byte[] chunk = new byte[64 * 1024];
    try {
      exchange.sendResponseHeaders(200, announced);
      OutputStream out = exchange.getResponseBody();
      while (written.get() < max) {
        out.write(chunk);
        written.addAndGet(chunk.length);
      }
    } catch (IOException clientGone) {
      // the worker hung up, as it should
    }
  }

  /** The stored object, in the sources folder (removed with it). */
  private static Path download(String key) throws IOException {
    Path file = Files.createTempFile(sources, "downloaded-", ".mp3");
    try (S3Client client = s3.client()) {
      Files.write(file, client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
    }
    return file;
  }
}
