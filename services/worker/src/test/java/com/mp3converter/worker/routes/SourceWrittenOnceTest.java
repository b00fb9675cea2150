package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.TcpGate;
import com.mp3converter.worker.job.JobWorkspace;
import com.mp3converter.worker.routes.JobBus.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A source reaches the worker's disk once: a download, and the fetch of an upload from S3, go straight into the
 * job folder's "source", with no copy anywhere else in the work dir. (Camel's stream cache used to spool each body
 * to the work dir first, and the route then copied it into the job folder.) Each body is held half-way by a relay
 * in front of its server, and the work dir is looked at while the rest is still on its way: the bytes the worker
 * has received by then are in one file, the job's source (besides it, only the MP3 ffmpeg may be writing).
 */
@TestPropertySource(properties = {
  "mp3.allow-private-sources=true",
  "mp3.worker.concurrency=1",
})
class SourceWrittenOnceTest extends WorkerRouteTestSupport {
  private static final String BUCKET = "mp3-worker-test";
  private static final Duration OUTCOME = Duration.ofSeconds(120);
  /** 26.5 MB of WAV. */
  private static final double SECONDS = 150;
  /** Where the relays hold a response: the worker receives all of this before the rest. */
  private static final long HOLD_AFTER = 20L << 20;
  /** Written by the worker while the body is held: most of what it received, whatever is still buffered. */
  private static final long ON_DISK = 16L << 20;

  private static LocalS3 s3;
  private static TcpGate sourceRelay;
  private static TcpGate storageRelay;

  @BeforeAll
  static void startTheRelays() throws Exception {
    s3 = LocalS3.start().createBucket(BUCKET);
    sourceRelay = TcpGate.closed("127.0.0.1", server.port()).holdingResponsesAfter(HOLD_AFTER);
    sourceRelay.open();
    allowSourcePort(sourceRelay.port());
    storageRelay = TcpGate.closed("127.0.0.1", s3.port()).holdingResponsesAfter(HOLD_AFTER);
    storageRelay.open();
  }

  /** The worker's S3 is reached through the relay. */
  @DynamicPropertySource
  static void storageBehindTheRelay(DynamicPropertyRegistry registry) {
    registry.add("mp3.s3.endpoint", storageRelay::baseUrl);
    registry.add("mp3.s3.access-key", s3::accessKey);
    registry.add("mp3.s3.secret-key", s3::secretKey);
    registry.add("mp3.s3.bucket", () -> BUCKET);
  }

  @AfterAll
  static void stopTheRelays() throws Exception {
    sourceRelay.close();
    storageRelay.close();
    s3.close();
    s3.deleteFolder();
  }

  @AfterEach
  void nothingIsLeftInTheWorkDir() throws Exception {
    assertNoJobLeftInTheWorkDir();
  }

  @Test
  void aDownloadIsWrittenOnceIntoTheJobFolder() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("long.wav"), SECONDS);
    ConversionRequested job = JobBus.job(sourceRelay.baseUrl() + "/long.wav");

    bus.publish(job);

    assertOnlyTheJobsSourceIsWrittenWhileHeld(job, sourceRelay);
    assertThat(bus.awaitOutcome(job.jobId(), OUTCOME)).last().extracting(Event::routingKey)
        .isEqualTo(Topology.COMPLETED);
  }

  @Test
  void anUploadIsWrittenOnceIntoTheJobFolder() throws Exception {
    Path wav = AudioFixtures.writeSineWav(sources.resolve("uploaded.wav"), SECONDS);
    ConversionRequested job = JobBus.uploadJob("192k");
    try (S3Client client = s3.client()) {
      client.putObject(b -> b.bucket(BUCKET).key(job.sourceObjectKey()), RequestBody.fromFile(wav));
    }

    bus.publish(job);

    assertOnlyTheJobsSourceIsWrittenWhileHeld(job, storageRelay);
    assertThat(bus.awaitOutcome(job.jobId(), OUTCOME)).last().extracting(Event::routingKey)
        .isEqualTo(Topology.COMPLETED);
  }

  private static void assertOnlyTheJobsSourceIsWrittenWhileHeld(ConversionRequested job, TcpGate relay) {
    try {
      await().atMost(OUTCOME).until(relay::holding);
      await().atMost(OUTCOME).ignoreExceptions()
          .until(() -> filesInTheWorkDir().values().stream().anyMatch(size -> size >= ON_DISK));
      Map<Path, Long> files = filesInTheWorkDir();
      // The job's source, and the MP3 ffmpeg may already be writing from it (it starts on a source still
      // arriving): no other file.
      assertThat(files.keySet()).as("the files in the work dir while the body is on its way (sizes: %s)", files)
          .allSatisfy(file -> {
            assertThat(file.getNameCount()).isEqualTo(2);
            assertThat(file.getName(0).toString()).startsWith("job-" + job.jobId());
            assertThat(file.getFileName().toString()).isIn(JobWorkspace.SOURCE_FILE, JobWorkspace.OUTPUT_FILE);
          })
          .anySatisfy(file -> assertThat(file.getFileName().toString()).isEqualTo(JobWorkspace.SOURCE_FILE));
    } catch (IOException e) {
      throw new AssertionError(e);
    } finally {
      relay.release();
    }
  }

  /** Every file in the work dir (relative to it) but the running worker's lock, with its size. */
  private static Map<Path, Long> filesInTheWorkDir() throws IOException {
    try (Stream<Path> paths = Files.walk(work)) {
      return paths.filter(Files::isRegularFile)
          .filter(path -> !path.getFileName().toString().equals(".worker.lock"))
          .collect(Collectors.toMap(work::relativize, path -> path.toFile().length()));
    }
  }
}
