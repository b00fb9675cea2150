package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.Rabbit;
import com.mp3converter.worker.WorkerApplication;
import com.mp3converter.worker.routes.JobBus.Event;
import com.mp3converter.worker.routes.RawSourceServer.Visit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sources that misbehave below HTTP, served raw from loopback: header floods, more header lines than allowed,
 * endless interim responses, and status lines or headers dripped a byte at a time. Each fails the job as
 * source_unreachable, once (another attempt would meet the same server), with the worker hanging up early: at
 * the header cap (mp3.source.max-header-bytes, -lines) or at the deadline (mp3.source.total-timeout, here 3 s,
 * below the read timeout, so only the deadline can stop a drip).
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = {WorkerApplication.class, TestDns.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=worker",
      "management.server.port=0",
      "mp3.allow-private-sources=true",
      "mp3.worker.concurrency=2",
      "mp3.worker.retry.delay-ms=100",
      "mp3.source.read-timeout=10s",
      "mp3.source.total-timeout=3s",
    })
@DirtiesContext
class SourceServerHostileInputTest {
  private static final Duration DEADLINE = Duration.ofSeconds(3);
  /** What the machine may add to the deadline before the worker is seen hanging up (2 cores, shared). */
  private static final Duration SLACK = Duration.ofSeconds(5);
  private static final Duration OUTCOME = Duration.ofSeconds(60);
  /** A flood this large, read into memory, grew the JVM by hundreds of MB before the cap. */
  private static final long FLOOD_BYTES = 128L << 20;
  /** More than the header cap and both socket buffers on loopback can take, far less than the flood. */
  private static final long HUNG_UP_WITHIN_BYTES = 16L << 20;

  private static Path work;
  private static LocalS3 s3;
  private static RawSourceServer server;
  private static byte[] wav;

  private JobBus bus;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
    // Before the consumers start: no job left by another suite on the shared broker is taken.
    Rabbit.purge(Topology.WORKER_QUEUE);
    work = Files.createTempDirectory("worker-work-");
    Path wavFile = AudioFixtures.writeSineWav(work.resolve("fixture.wav"), 0.5);
    wav = Files.readAllBytes(wavFile);
    Files.delete(wavFile);
    s3 = LocalS3.start().createBucket("mp3-raw-source-test");
    server = new RawSourceServer();
    registry.add("mp3.s3.endpoint", s3::endpoint);
    registry.add("mp3.s3.access-key", s3::accessKey);
    registry.add("mp3.s3.secret-key", s3::secretKey);
    registry.add("mp3.s3.bucket", () -> "mp3-raw-source-test");
    registry.add("mp3.source.allowed-ports", () -> "80,443," + server.port());
    registry.add("mp3.worker.work-dir", work::toString);
  }

  @AfterAll
  static void stopInfrastructure() throws Exception {
    server.close();
    s3.close();
    s3.deleteFolder();
    TempFolders.delete(work);
  }

  @BeforeEach
  void connect() throws Exception {
    Rabbit.purge(Topology.WORKER_QUEUE);
    bus = new JobBus();
  }

  @AfterEach
  void nothingIsLeftInTheWorkDir() throws Exception {
    bus.close();
    try (Stream<Path> entries = Files.list(work)) {
      // The spool, and the running worker's lock on the directory (WorkDirectory).
      assertThat(entries.map(p -> p.getFileName().toString())).allMatch(name -> Set.of("spool", ".worker.lock").contains(name));
    }
    Path spool = work.resolve("spool");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      if (Files.exists(spool)) {
        try (Stream<Path> spooled = Files.walk(spool)) {
          assertThat(spooled.filter(Files::isRegularFile)).isEmpty();
        }
      }
    });
  }

  @Test
  void aFloodOfHeaderLinesIsCutAtTheHeaderCap() throws Exception {
    server.on("flood.wav", RawSourceServer.headerFlood("HTTP/1.1 200 OK\r\n", 1024, FLOOD_BYTES));

    Visit visit = failsOnceAsUnreachable("flood.wav");

    assertThat(visit.clientLeft()).isTrue();
    assertThat(visit.bytesSent()).isLessThan(HUNG_UP_WITHIN_BYTES);
  }

  @Test
  void oneEndlessHeaderLineIsCutAtTheHeaderCap() throws Exception {
    server.on("long-line.wav", RawSourceServer.endlessHeaderLine(FLOOD_BYTES));

    Visit visit = failsOnceAsUnreachable("long-line.wav");

    assertThat(visit.clientLeft()).isTrue();
    assertThat(visit.bytesSent()).isLessThan(HUNG_UP_WITHIN_BYTES);
  }

  @Test
  void anEndlessRunOfInterimResponsesIsCutAtTheHeaderCap() throws Exception {
    server.on("interim.wav", RawSourceServer.informationalFlood(FLOOD_BYTES));

    Visit visit = failsOnceAsUnreachable("interim.wav");

    assertThat(visit.clientLeft()).isTrue();
    assertThat(visit.bytesSent()).isLessThan(HUNG_UP_WITHIN_BYTES);
  }

  @Test
  void aHundredAndOneHeaderLinesFailTheDownloadEvenWithGoodAudio() throws Exception {
    server.on("many-headers.wav", RawSourceServer.manyHeaders(101, wav));

    failsOnceAsUnreachable("many-headers.wav");
  }

  /** The cap's edge from the other side: a hundred header lines (status line not counted) are fine. */
  @Test
  void aHundredHeaderLinesAreAccepted() throws Exception {
    server.on("hundred-headers.wav", RawSourceServer.manyHeaders(100, wav));
    ConversionRequested job = JobBus.job(server.url("hundred-headers.wav"));

    bus.publish(job);

    assertThat(bus.awaitOutcome(job.jobId(), OUTCOME)).last().extracting(Event::routingKey)
        .isEqualTo(Topology.COMPLETED);
  }

  @Test
  void aDrippedStatusLineIsStoppedAtTheDeadline() throws Exception {
    server.on("drip-status.wav", RawSourceServer.drip(
        "", "HTTP/1.1 200 OK\r\n", Duration.ofMillis(100), Duration.ofSeconds(20)));

    Visit visit = failsOnceAsUnreachable("drip-status.wav");

    assertHungUpAtTheDeadline(visit);
  }

  @Test
  void drippedHeadersAreStoppedAtTheDeadline() throws Exception {
    server.on("drip-headers.wav", RawSourceServer.drip(
        "HTTP/1.1 200 OK\r\n", "X-Drip: still coming\r\n", Duration.ofMillis(100), Duration.ofSeconds(20)));

    Visit visit = failsOnceAsUnreachable("drip-headers.wav");

    assertHungUpAtTheDeadline(visit);
  }

  private Visit failsOnceAsUnreachable(String path) throws Exception {
    ConversionRequested job = JobBus.job(server.url(path));

    bus.publish(job);
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);

    Event outcome = events.get(events.size() - 1);
    assertThat(outcome.routingKey()).isEqualTo(Topology.FAILED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.SOURCE_UNREACHABLE.code());
    assertThat(outcome.body().path("message").asText()).isEqualTo(FailureReason.SOURCE_UNREACHABLE.userMessage());
    await().atMost(Duration.ofSeconds(10)).until(() -> server.visit(path) != null);
    Visit visit = server.visit(path);
    System.out.printf("[raw source] %s: %d bytes sent, held %d ms, client left first: %s%n",
        path, visit.bytesSent(), visit.held().toMillis(), visit.clientLeft());
    assertThat(server.connections(path)).as("attempts").isEqualTo(1);
    return visit;
  }

  private static void assertHungUpAtTheDeadline(Visit visit) {
    assertThat(visit.clientLeft()).isTrue();
    assertThat(visit.held()).isLessThan(DEADLINE.plus(SLACK));
  }
}
