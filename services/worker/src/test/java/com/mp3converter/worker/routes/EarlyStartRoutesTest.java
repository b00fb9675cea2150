package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.worker.job.JobWorkspace;
import com.mp3converter.worker.routes.JobBus.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * ffmpeg starts on a source whose head has arrived and passed the probe, and reads the rest as it arrives
 * (EarlyStart); the answer is still the one a job that waited for the whole download would get. Each source is
 * served by a script that stops after its first {@link #HEAD} bytes until the test has seen ffmpeg writing the
 * job's output (so ffmpeg provably started before the download ended), then goes on: to the end, cut off, past the
 * size cap, or with a tag only the end of the file holds.
 */
@TestPropertySource(properties = {
  "mp3.allow-private-sources=true",
  "mp3.worker.concurrency=1",
  // 16 MiB: a chunked body (no Content-Length to refuse early) is stopped past it while ffmpeg already reads.
  "mp3.max-source-bytes=16777216",
})
class EarlyStartRoutesTest extends WorkerStorageRouteTestSupport {
  private static final Duration OUTCOME = Duration.ofSeconds(120);
  /** What the scripts send before they wait: more than the probe's head, less than the source. */
  private static final int HEAD = 3 << 20;

  private static RawSourceServer rawServer;

  @BeforeAll
  static void startTheServer() throws Exception {
    rawServer = new RawSourceServer();
    allowSourcePort(rawServer.port());
  }

  @AfterAll
  static void stopTheServer() throws Exception {
    rawServer.close();
  }

  @AfterEach
  void nothingIsLeftInTheWorkDir() throws Exception {
    assertNoJobLeftInTheWorkDir();
  }

  @Test
  void ffmpegReadsTheSourceWhileItArrivesAndTheJobCompletes() throws Exception {
    byte[] wav = Files.readAllBytes(AudioFixtures.writeSineWav(sources.resolve("arriving.wav"), 60));
    CountDownLatch encoding = new CountDownLatch(1);
    rawServer.on("arriving.wav", heldAfterTheHead(wav, encoding));
    ConversionRequested job = JobBus.job(rawServer.url("arriving.wav"));

    bus.publish(job);
    awaitFfmpegWritingWhileTheSourceIsHeld(job, encoding);

    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);
    assertThat(events).last().extracting(Event::routingKey).isEqualTo(Topology.COMPLETED);
    assertThat(events.get(events.size() - 1).body().path("durationSeconds").asDouble()).isCloseTo(60.0, within(0.1));
  }

  @Test
  void aDownloadCutOffAfterFfmpegStartedFailsAsTheDownloadNotAsAShortRecording() throws Exception {
    byte[] wav = Files.readAllBytes(AudioFixtures.writeSineWav(sources.resolve("cut.wav"), 60));
    CountDownLatch encoding = new CountDownLatch(1);
    rawServer.on("cut.wav", (out, hungUp) -> {
      // Content-Length says all of it; the connection ends after the head.
      head(out, wav.length, wav);
      encoding.await(OUTCOME.toSeconds(), TimeUnit.SECONDS);
    });
    ConversionRequested job = JobBus.job(rawServer.url("cut.wav"));

    bus.publish(job);
    awaitFfmpegWritingWhileTheSourceIsHeld(job, encoding);

    assertFailed(job, FailureReason.SOURCE_UNREACHABLE);
  }

  @Test
  void aSourceThatGrowsPastTheCapAfterFfmpegStartedFailsAsTooLarge() throws Exception {
    byte[] wav = Files.readAllBytes(AudioFixtures.writeSineWav(sources.resolve("endless.wav"), 60));
    CountDownLatch encoding = new CountDownLatch(1);
    rawServer.on("endless.wav", (out, hungUp) -> {
      // No Content-Length (the connection's end is the body's): nothing to refuse before the first byte.
      out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nConnection: close\r\n\r\n"));
      out.write(wav, 0, HEAD);
      out.flush();
      encoding.await(OUTCOME.toSeconds(), TimeUnit.SECONDS);
      byte[] more = new byte[1 << 20];
      for (int sent = HEAD; sent < (24 << 20) && hungUp.getCount() > 0; sent += more.length) {
        out.write(more);
      }
    });
    ConversionRequested job = JobBus.job(rawServer.url("endless.wav"));

    bus.publish(job);
    awaitFfmpegWritingWhileTheSourceIsHeld(job, encoding);

    assertFailed(job, FailureReason.SOURCE_TOO_LARGE);
  }

  /**
   * An MP3 whose only tag is an ID3v1 title at its very end: the head shows no title, the whole source does, so
   * the early run (no title) does not stand and ffmpeg runs again with the whole source's verdict.
   */
  @Test
  void aTagOnlyTheWholeSourceShowsIsWrittenAndNamesTheFile() throws Exception {
    Path mp3 = sources.resolve("tail-tagged.mp3");
    Path wav = AudioFixtures.writeSineWav(sources.resolve("tail-tagged.wav"), 300);
    // ffmpeg writes the title as ID3v2 (at the start) and ID3v1 (the last 128 bytes); the ID3v2 tag is cut off.
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", wav.toString(), "-c:a",
        "libmp3lame", "-b:a", "128k", "-write_id3v1", "1", "-metadata", "title=Only At The End", "-y",
        mp3.toString()).inheritIO().start();
    assertThat(ffmpeg.waitFor()).isZero();
    byte[] tagged = Files.readAllBytes(mp3);
    assertThat(new String(tagged, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("ID3");
    int id3v2 = 10 + ((tagged[6] & 0x7f) << 21 | (tagged[7] & 0x7f) << 14 | (tagged[8] & 0x7f) << 7 | tagged[9] & 0x7f);
    byte[] bytes = java.util.Arrays.copyOfRange(tagged, id3v2, tagged.length);
    assertThat(new String(bytes, bytes.length - 128, 3, StandardCharsets.US_ASCII)).isEqualTo("TAG");
    assertThat(bytes.length).isGreaterThan(HEAD);
    CountDownLatch encoding = new CountDownLatch(1);
    rawServer.on("tail-tagged.mp3", heldAfterTheHead(bytes, encoding));
    ConversionRequested job = JobBus.job(rawServer.url("tail-tagged.mp3"));

    bus.publish(job);
    awaitFfmpegWritingWhileTheSourceIsHeld(job, encoding);

    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);
    assertThat(events).last().extracting(Event::routingKey).isEqualTo(Topology.COMPLETED);
    assertThat(events.get(events.size() - 1).body().path("filename").asText()).isEqualTo("Only_At_The_End.mp3");
  }

  /** The head, then, once the test has seen ffmpeg writing ({@code encoding}), the rest of the body. */
  private static RawSourceServer.Script heldAfterTheHead(byte[] body, CountDownLatch encoding) {
    return (out, hungUp) -> {
      head(out, body.length, body);
      encoding.await(OUTCOME.toSeconds(), TimeUnit.SECONDS);
      out.write(body, HEAD, body.length - HEAD);
    };
  }

  /** The status line, the headers with the whole length, and the first {@link #HEAD} bytes of the body. */
  private static void head(OutputStream out, int length, byte[] body) throws IOException {
    out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length
        + "\r\nConnection: close\r\n\r\n"));
    out.write(body, 0, HEAD);
    out.flush();
  }

  /**
   * Waits, while the source is held after its head, until ffmpeg has written MP3 frames into the job's output;
   * then lets the source go on.
   */
  private static void awaitFfmpegWritingWhileTheSourceIsHeld(ConversionRequested job, CountDownLatch encoding) {
    try {
      await().atMost(OUTCOME).ignoreExceptions().until(() -> outputSize(job) > 0);
    } finally {
      encoding.countDown();
    }
  }

  private static long outputSize(ConversionRequested job) throws IOException {
    try (Stream<Path> folders = Files.list(work)) {
      return folders.filter(f -> f.getFileName().toString().startsWith(JobWorkspace.folderPrefix(job.jobId())))
          .map(f -> f.resolve(JobWorkspace.OUTPUT_FILE))
          .filter(Files::isRegularFile)
          .mapToLong(f -> f.toFile().length())
          .sum();
    }
  }

  private void assertFailed(ConversionRequested job, FailureReason reason) {
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);
    assertThat(events).extracting(Event::routingKey).doesNotContain(Topology.COMPLETED);
    assertThat(events).last().extracting(Event::routingKey).isEqualTo(Topology.FAILED);
    assertThat(events.get(events.size() - 1).reason()).isEqualTo(reason.code());
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
