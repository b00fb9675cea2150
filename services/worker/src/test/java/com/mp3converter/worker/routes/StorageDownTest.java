package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.Rabbit;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.worker.WorkerApplication;
import com.mp3converter.worker.routes.JobBus.Event;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The worker starts while its S3 server is down and stores MP3s as soon as the server is back. */
@CamelSpringBootTest
@SpringBootTest(
    classes = {WorkerApplication.class, TestDns.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=worker",
      "management.server.port=0",
      "mp3.allow-private-sources=true",
      "mp3.worker.concurrency=1",
      "camel.routecontroller.back-off-delay=500",
    })
@DirtiesContext
class StorageDownTest {
  private static final String BUCKET = "mp3-storage-down-test";
  private static final String ACCESS_KEY = "storage-down-access";
  private static final String SECRET_KEY = "storage-down-secret";

  /** Holds the S3 port while "S3 is down": bound but not listening, so connections are refused. */
  private static Socket reservation;
  private static int s3Port;
  private static Path s3Folder;
  private static Path sources;
  private static Path work;
  private static StaticFileServer server;
  private static LocalS3 s3;

  @Autowired
  CamelContext camel;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
    // Before the consumers start: no job left by another suite on the shared broker is taken.
    Rabbit.purge(Topology.WORKER_QUEUE);
    reservation = new Socket();
    reservation.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    s3Port = reservation.getLocalPort();
    s3Folder = Files.createTempDirectory("worker-s3-later-");
    sources = Files.createTempDirectory("worker-sources-");
    server = StaticFileServer.serve(sources);
    work = Files.createTempDirectory("worker-work-");
    registry.add("mp3.s3.endpoint", () -> "http://127.0.0.1:" + s3Port);
    registry.add("mp3.s3.access-key", () -> ACCESS_KEY);
    registry.add("mp3.s3.secret-key", () -> SECRET_KEY);
    registry.add("mp3.s3.bucket", () -> BUCKET);
    registry.add("mp3.source.allowed-ports", () -> "80,443," + server.port());
    registry.add("mp3.worker.work-dir", work::toString);
  }

  @AfterAll
  static void stopInfrastructure() throws Exception {
    server.close();
    if (s3 != null) {
      s3.close();
    }
    TempFolders.delete(s3Folder, sources, work);
  }

  @Test
  void startsWithoutStorageAndStoresOnceItIsBack() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> status("worker-consume") == ServiceStatus.Started);
    assertThat(status("worker-upload")).isNotEqualTo(ServiceStatus.Started);

    reservation.close();
    s3 = LocalS3.start(s3Folder, s3Port, ACCESS_KEY, SECRET_KEY).createBucket(BUCKET);
    await().atMost(Duration.ofSeconds(30)).until(() -> status("worker-upload") == ServiceStatus.Started);

    Rabbit.purge(Topology.WORKER_QUEUE);
    AudioFixtures.writeSineWav(sources.resolve("late.wav"), 0.5);
    ConversionRequested job = JobBus.job(server.url("late.wav"));
    try (JobBus bus = new JobBus()) {
      bus.publish(job);
      assertThat(bus.awaitOutcome(job.jobId(), Duration.ofSeconds(60))).extracting(Event::routingKey)
          .containsExactly(Topology.STARTED, Topology.COMPLETED);
    }
  }

  private ServiceStatus status(String routeId) {
    return camel.getRouteController().getRouteStatus(routeId);
  }
}
