package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.worker.routes.JobBus.Event;
import com.mp3converter.worker.routes.RawSourceServer.Visit;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Sources that misbehave below HTTP, served raw from loopback: header floods, more header lines than allowed,
 * endless interim responses, and status lines or headers dripped a byte at a time. Each fails the job as
 * source_unreachable, once (another attempt would meet the same server), with the worker hanging up early: at
 * the header cap (mp3.source.max-header-bytes, -lines) or at the deadline (mp3.source.total-timeout, here 3 s,
 * below the read timeout, so only the deadline can stop a drip).
 */
@TestPropertySource(properties = {
  "mp3.allow-private-sources=true",
  "mp3.worker.concurrency=2",
  "mp3.worker.retry.delay-ms=100",
  "mp3.source.read-timeout=10s",
  "mp3.source.total-timeout=3s",
})
class SourceServerHostileInputTest extends WorkerStorageRouteTestSupport {
  private static final Duration DEADLINE = Duration.ofSeconds(3);
  /** What the machine may add to the deadline before the worker is seen hanging up (2 cores, shared). */
  private static final Duration SLACK = Duration.ofSeconds(5);
  private static final Duration OUTCOME = Duration.ofSeconds(60);
  /** A flood this large, read into memory, grew the JVM by hundreds of MB before the cap. */
  private static final long FLOOD_BYTES = 128L << 20;
  /** More than the header cap and both socket buffers on loopback can take, far less than the flood. */
  private static final long HUNG_UP_WITHIN_BYTES = 16L << 20;

  private static RawSourceServer rawServer;
  private static byte[] wav;

  @BeforeAll
  static void startTheRawServer() throws Exception {
    wav = Files.readAllBytes(AudioFixtures.writeSineWav(sources.resolve("fixture.wav"), 0.5));
    rawServer = new RawSourceServer();
    allowSourcePort(rawServer.port());
  }

  @AfterAll
  static void stopTheRawServer() throws Exception {
    rawServer.close();
  }

  @AfterEach
  void nothingIsLeftInTheWorkDir() throws Exception {
    assertNoJobLeftInTheWorkDir();
  }

  @Test
  void aFloodOfHeaderLinesIsCutAtTheHeaderCap() throws Exception {
    rawServer.on("flood.wav", RawSourceServer.headerFlood("HTTP/1.1 200 OK\r\n", 1024, FLOOD_BYTES));

    Visit visit = failsOnceAsUnreachable("flood.wav");

    assertThat(visit.clientLeft()).isTrue();
    assertThat(visit.bytesSent()).isLessThan(HUNG_UP_WITHIN_BYTES);
  }

  @Test
  void oneEndlessHeaderLineIsCutAtTheHeaderCap() throws Exception {
    rawServer.on("long-line.wav", RawSourceServer.endlessHeaderLine(FLOOD_BYTES));

    Visit visit = failsOnceAsUnreachable("long-line.wav");

    assertThat(visit.clientLeft()).isTrue();
    assertThat(visit.bytesSent()).isLessThan(HUNG_UP_WITHIN_BYTES);
  }

  @Test
  void anEndlessRunOfInterimResponsesIsCutAtTheHeaderCap() throws Exception {
    rawServer.on("interim.wav", RawSourceServer.informationalFlood(FLOOD_BYTES));

    Visit visit = failsOnceAsUnreachable("interim.wav");

    assertThat(visit.clientLeft()).isTrue();
    assertThat(visit.bytesSent()).isLessThan(HUNG_UP_WITHIN_BYTES);
  }

  @Test
  void aHundredAndOneHeaderLinesFailTheDownloadEvenWithGoodAudio() throws Exception {
    rawServer.on("many-headers.wav", RawSourceServer.manyHeaders(101, wav));

    failsOnceAsUnreachable("many-headers.wav");
  }

  /** The cap's edge from the other side: a hundred header lines (status line not counted) are fine. */
  @Test
  void aHundredHeaderLinesAreAccepted() throws Exception {
    rawServer.on("hundred-headers.wav", RawSourceServer.manyHeaders(100, wav));
    ConversionRequested job = JobBus.job(rawServer.url("hundred-headers.wav"));

    bus.publish(job);

    assertThat(bus.awaitOutcome(job.jobId(), OUTCOME)).last().extracting(Event::routingKey)
        .isEqualTo(Topology.COMPLETED);
  }

  @Test
  void aDrippedStatusLineIsStoppedAtTheDeadline() throws Exception {
    rawServer.on("drip-status.wav", RawSourceServer.drip(
        "", "HTTP/1.1 200 OK\r\n", Duration.ofMillis(100), Duration.ofSeconds(20)));

    Visit visit = failsOnceAsUnreachable("drip-status.wav");

    assertHungUpAtTheDeadline(visit);
  }

  @Test
  void drippedHeadersAreStoppedAtTheDeadline() throws Exception {
    rawServer.on("drip-headers.wav", RawSourceServer.drip(
        "HTTP/1.1 200 OK\r\n", "X-Drip: still coming\r\n", Duration.ofMillis(100), Duration.ofSeconds(20)));

    Visit visit = failsOnceAsUnreachable("drip-headers.wav");

    assertHungUpAtTheDeadline(visit);
  }

  private Visit failsOnceAsUnreachable(String path) throws Exception {
    ConversionRequested job = JobBus.job(rawServer.url(path));

    bus.publish(job);
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);

    Event outcome = events.get(events.size() - 1);
    assertThat(outcome.routingKey()).isEqualTo(Topology.FAILED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.SOURCE_UNREACHABLE.code());
    assertThat(outcome.body().path("message").asText()).isEqualTo(FailureReason.SOURCE_UNREACHABLE.userMessage());
    await().atMost(Duration.ofSeconds(10)).until(() -> rawServer.visit(path) != null);
    Visit visit = rawServer.visit(path);
    System.out.printf("[raw source] %s: %d bytes sent, held %d ms, client left first: %s%n",
        path, visit.bytesSent(), visit.held().toMillis(), visit.clientLeft());
    assertThat(rawServer.connections(path)).as("attempts").isEqualTo(1);
    return visit;
  }

  private static void assertHungUpAtTheDeadline(Visit visit) {
    assertThat(visit.clientLeft()).isTrue();
    assertThat(visit.held()).isLessThan(DEADLINE.plus(SLACK));
  }
}
