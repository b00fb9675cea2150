package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.worker.routes.JobBus.Event;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

/**
 * With private sources refused (the production setting), URLs that lead to this machine end as blocked_url and
 * the canary server listening on loopback is never reached. Only loopback addresses are handed to this worker;
 * the verdicts on private, link-local and metadata addresses are checked without connecting
 * (AddressVerdictsTest, RedirectsTest). DNS is TestDns, which knows one name (pointing at loopback).
 */
@TestPropertySource(properties = {
  "mp3.allow-private-sources=false",
  "mp3.worker.concurrency=2",
  "mp3.worker.retry.delay-ms=100",
})
class SsrfRoutesHostileInputTest extends WorkerStorageRouteTestSupport {

  /** The canary is the sources server: its port is allowed, so only the address check stands in the way. */
  @BeforeAll
  static void plantTheCanary() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("song.wav"), 0.5);
  }

  @AfterEach
  void theCanaryWasNeverHit() throws Exception {
    assertThat(server.hits()).isZero();
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
    ConversionRequested job = JobBus.job(template.formatted(server.port()));

    bus.publish(job);
    List<Event> events = bus.awaitOutcome(job.jobId(), Duration.ofSeconds(30));

    Event outcome = events.get(events.size() - 1);
    assertThat(outcome.routingKey()).isEqualTo(Topology.FAILED);
    assertThat(outcome.reason()).isEqualTo(FailureReason.BLOCKED_URL.code());
    assertThat(outcome.body().path("message").asText())
        .isEqualTo(FailureReason.BLOCKED_URL.userMessage())
        .doesNotContain("127.0.0.1", "::1", String.valueOf(server.port()));
  }
}
