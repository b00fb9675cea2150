package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.Rabbit;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.worker.WorkerApplication;
import com.mp3converter.worker.routes.JobBus.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With private sources refused (the production setting), URLs that lead to this machine end as blocked_url and
 * the canary server listening on loopback is never reached. Only loopback addresses are handed to this worker;
 * the verdicts on private, link-local and metadata addresses are checked without connecting
 * (AddressVerdictsTest, RedirectsTest). DNS is TestDns, which knows one name (pointing at loopback).
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = {WorkerApplication.class, TestDns.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=worker",
      "management.server.port=0",
      "mp3.allow-private-sources=false",
      "mp3.worker.concurrency=2",
      "mp3.worker.retry.delay-ms=100",
    })
@DirtiesContext
class SsrfRoutesHostileInputTest {
  private static Path sources;
  private static Path work;
  private static LocalS3 s3;
  private static StaticFileServer canary;

  private JobBus bus;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
    // Before the consumers start: no job left by another suite on the shared broker is taken.
    Rabbit.purge(Topology.WORKER_QUEUE);
    sources = Files.createTempDirectory("worker-canary-");
    AudioFixtures.writeSineWav(sources.resolve("song.wav"), 0.5);
    work = Files.createTempDirectory("worker-work-");
    s3 = LocalS3.start().createBucket("mp3-ssrf-test");
    canary = StaticFileServer.serve(sources);
    registry.add("mp3.s3.endpoint", s3::endpoint);
    registry.add("mp3.s3.access-key", s3::accessKey);
    registry.add("mp3.s3.secret-key", s3::secretKey);
    registry.add("mp3.s3.bucket", () -> "mp3-ssrf-test");
    // The canary's port is allowed, so only the address check stands between the worker and the canary.
    registry.add("mp3.source.allowed-ports", () -> "80,443," + canary.port());
    registry.add("mp3.worker.work-dir", work::toString);
  }

  @AfterAll
  static void stopInfrastructure() throws Exception {
    canary.close();
    s3.close();
    s3.deleteFolder();
    TempFolders.delete(sources, work);
  }

  @BeforeEach
  void connect() throws Exception {
    Rabbit.purge(Topology.WORKER_QUEUE);
    bus = new JobBus();
  }

  @AfterEach
  void theCanaryWasNeverHit() throws Exception {
    bus.close();
    assertThat(canary.hits()).isZero();
    try (var entries = Files.list(work)) {
      assertThat(entries.filter(p -> p.getFileName().toString().startsWith("job-"))).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "http://127.0.0.1:%d/song.wav",
    "http://127.0.0.2:%d/song.wav",
    "http://localhost:%d/song.wav",
    "http://LOCALHOST.:%d/song.wav",
    "http://[::1]:%d/song.wav",
    "http://[::ffff:127.0.0.1]:%d/song.wav",
    "http://2130706433:%d/song.wav",
    "http://0x7f000001:%d/song.wav",
    "http://0177.0.0.1:%d/song.wav",
    "http://127.1:%d/song.wav",
    "http://" + TestDns.LOOPBACK_NAME + ":%d/song.wav",
    "http://anything.localhost:%d/song.wav",
    "http://user:pass@127.0.0.1:%d/song.wav",
    "ftp://127.0.0.1:%d/song.wav",
    "http://127.0.0.1:%d/song.wav#fragment",
  })
  void urlsLeadingToThisMachineAreBlocked(String template) throws Exception {
    ConversionRequested job = JobBus.job(template.formatted(canary.port()));

    bus.publish(job);
    List<Event> events = bus.awaitOutcome(job.jobId(), Duration.ofSeconds(30));

    Event outcome = events.get(events.size() - 1);
    assertThat(outcome.routingKey()).isEqualTo(Topology.FAILED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.BLOCKED_URL.code());
    assertThat(outcome.body().path("message").asText())
        .isEqualTo(FailureReason.BLOCKED_URL.userMessage())
        .doesNotContain("127.0.0.1", "::1", String.valueOf(canary.port()));
  }
}
