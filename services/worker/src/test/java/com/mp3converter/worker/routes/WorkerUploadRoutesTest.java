package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.Ffprobe;
import com.mp3converter.worker.routes.JobBus.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Jobs whose source the user uploaded (worker-fetch-upload): read from S3Proxy instead of the network, then the
 * same probe, conversion and caps as a download, on the real broker and ffmpeg.
 */
@TestPropertySource(properties = {
  "mp3.max-source-bytes=" + WorkerUploadRoutesTest.CAP,
  "mp3.worker.retry.delay-ms=100",
})
class WorkerUploadRoutesTest extends WorkerStorageRouteTestSupport {
  static final long CAP = 2_000_000;
  private static final Duration OUTCOME = Duration.ofSeconds(60);

  @AfterEach
  void everyTempFolderIsGone() throws Exception {
    assertNoJobLeftInTheWorkDir();
  }

  static void store(String key, byte[] content) {
    try (S3Client client = s3.client()) {
      client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
    }
  }

  static boolean stored(String key) {
    try (S3Client client = s3.client()) {
      return !client.listObjectsV2(b -> b.bucket(BUCKET).prefix(key)).contents().isEmpty();
    }
  }

  @Test
  void anUploadedWavBecomesAnMp3AndTheUploadIsDeleted() throws Exception {
    Path wav = AudioFixtures.writeSineWav(sources.resolve("upload.wav"), 2.0);
    ConversionRequested job = JobBus.uploadJob("128k");
    store(job.sourceObjectKey(), Files.readAllBytes(wav));

    bus.publish(job);
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);

    assertThat(events).extracting(Event::routingKey).containsExactly(Topology.STARTED, Topology.COMPLETED);
    String key = ObjectKeys.output(job.userId(), job.jobId(), OutputFormat.MP3);
    Path mp3 = Files.createTempFile(sources, "converted-", ".mp3");
    try (S3Client client = s3.client()) {
      Files.write(mp3, client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
    }
    assertThat(Ffprobe.formatName(mp3)).isEqualTo("mp3");
    assertThat(Ffprobe.durationSeconds(mp3)).isCloseTo(2.0, within(0.1));
    assertThat(events.get(1).body().path("durationSeconds").asDouble()).isCloseTo(2.0, within(0.1));
    // No title tag: the download is named after the uploaded file ("My Song.wav").
    assertThat(events.get(1).body().path("filename").asText()).isEqualTo("My_Song.mp3");
    assertThat(stored(job.sourceObjectKey())).as("the upload is deleted once the job completed").isFalse();
  }

  @Test
  void anUploadThatIsNotAudioFailsWithNotAudio() throws Exception {
    ConversionRequested job = JobBus.uploadJob("192k");
    store(job.sourceObjectKey(), "RIFF but really a diary entry\n".repeat(100).getBytes(StandardCharsets.UTF_8));

    bus.publish(job);

    assertFailed(job, FailureReason.NOT_AUDIO);
    assertThat(stored(job.sourceObjectKey())).as("a failed job keeps its upload for a retry").isTrue();
  }

  @Test
  void aMissingUploadIsSourceNotFound() throws Exception {
    ConversionRequested job = JobBus.uploadJob("192k");
    bus.publish(job);
    assertFailed(job, FailureReason.SOURCE_NOT_FOUND);
  }

  @Test
  void anUploadOverTheSourceCapIsSourceTooLarge() throws Exception {
    Path wav = AudioFixtures.writeSineWav(sources.resolve("long.wav"), 30.0);
    assertThat(Files.size(wav)).isGreaterThan(CAP);
    ConversionRequested job = JobBus.uploadJob("192k");
    store(job.sourceObjectKey(), Files.readAllBytes(wav));
    bus.publish(job);
    assertFailed(job, FailureReason.SOURCE_TOO_LARGE);
  }

  private void assertFailed(ConversionRequested job, FailureReason reason) {
    List<Event> events = bus.awaitOutcome(job.jobId(), OUTCOME);
    Event outcome = events.get(events.size() - 1);
    assertThat(outcome.routingKey()).isEqualTo(Topology.FAILED);
    assertThat(outcome.reason()).isEqualTo(reason.code());
  }
}
