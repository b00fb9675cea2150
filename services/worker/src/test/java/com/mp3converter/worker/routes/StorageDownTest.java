package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.TestSecrets;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.worker.routes.JobBus.Event;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The worker starts while its S3 server is down and stores its output files as soon as the server is back. */
@TestPropertySource(properties = {
  "mp3.allow-private-sources=true",
  "mp3.worker.concurrency=1",
  "camel.routecontroller.back-off-delay=500",
})
class StorageDownTest extends WorkerRouteTestSupport {
  private static final String BUCKET = "mp3-storage-down-test";
  private static final String ACCESS_KEY = "storage-down-access";
  private static final String SECRET_KEY = TestSecrets.hex(24);

  /** Holds the S3 port while "S3 is down": bound but not listening, so connections are refused. */
  private static Socket reservation;
  private static int s3Port;
  private static Path s3Folder;
  private static LocalS3 s3;

  @BeforeAll
  static void reserveTheStoragePort() throws Exception {
    reservation = new Socket();
    reservation.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    s3Port = reservation.getLocalPort();
    s3Folder = Files.createTempDirectory("worker-s3-later-");
  }

  @DynamicPropertySource
  static void storageThatIsDown(DynamicPropertyRegistry registry) {
    registry.add("mp3.s3.endpoint", () -> "http://127.0.0.1:" + s3Port);
    registry.add("mp3.s3.access-key", () -> ACCESS_KEY);
    registry.add("mp3.s3.secret-key", () -> SECRET_KEY);
    registry.add("mp3.s3.bucket", () -> BUCKET);
  }

  @AfterAll
  static void stopStorage() throws Exception {
    reservation.close();
    if (s3 != null) {
      s3.close();
    }
    TempFolders.delete(s3Folder);
  }

  @Test
  void startsWithoutStorageAndStoresOnceItIsBack() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> status("worker-consume") == ServiceStatus.Started);
    assertThat(status("worker-upload")).isNotEqualTo(ServiceStatus.Started);

    reservation.close();
    s3 = LocalS3.start(s3Folder, s3Port, ACCESS_KEY, SECRET_KEY).createBucket(BUCKET);
    await().atMost(Duration.ofSeconds(30)).until(() -> status("worker-upload") == ServiceStatus.Started);

    AudioFixtures.writeSineWav(sources.resolve("late.wav"), 0.5);
    ConversionRequested job = JobBus.job(server.url("late.wav"));
    bus.publish(job);
    assertThat(bus.awaitOutcome(job.jobId(), Duration.ofSeconds(60))).extracting(Event::routingKey)
        .containsExactly(Topology.STARTED, Topology.COMPLETED);
  }

  private ServiceStatus status(String routeId) {
    return camel.getRouteController().getRouteStatus(routeId);
  }
}
