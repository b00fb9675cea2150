package com.mp3converter.worker.routes;

import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.worker.WorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The set-up the worker's route tests share: the whole worker application on the real broker (RabbitMQ on
 * 127.0.0.1, in a virtual host of the test class's own), DNS from {@link TestDns}, a folder of sources served from
 * loopback (its port an allowed source port), its own work dir, and a {@link JobBus} per test. A subclass adds its settings with
 * {@code @TestPropertySource} and points the worker at its S3 server with {@link #useStorage}.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = {WorkerApplication.class, TestDns.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=worker", "management.server.port=0"})
// The context must not outlive the class's virtual host.
@DirtiesContext
abstract class WorkerRouteTestSupport {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();

  /** What the tests serve from loopback (removed after the class, with the work dir). */
  static Path sources;
  /** The worker's work dir: job folders and Camel's spooled downloads. */
  static Path work;
  static StaticFileServer server;

  @Autowired
  CamelContext camel;

  /** Publishes jobs and reads the worker's events back; a new connection for each test. */
  JobBus bus;

  /** Runs before the application context (and its consumers) starts. */
  @BeforeAll
  static void serveSources() throws Exception {
    sources = Files.createTempDirectory("worker-sources-");
    work = Files.createTempDirectory("worker-work-");
    server = StaticFileServer.serve(sources);
  }

  @DynamicPropertySource
  static void sourcesAndWorkDir(DynamicPropertyRegistry registry) {
    registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
    registry.add("mp3.source.allowed-ports", () -> "80,443," + server.port());
    registry.add("mp3.worker.work-dir", () -> work.toString());
  }

  /** Points the worker at {@code s3} and its bucket. */
  static void useStorage(DynamicPropertyRegistry registry, LocalS3 s3, String bucket) {
    registry.add("mp3.s3.endpoint", s3::endpoint);
    registry.add("mp3.s3.access-key", s3::accessKey);
    registry.add("mp3.s3.secret-key", s3::secretKey);
    registry.add("mp3.s3.bucket", () -> bucket);
  }

  @BeforeEach
  void connect() throws Exception {
    RABBIT.purge(Topology.WORKER_QUEUE);
    bus = new JobBus(RABBIT.connectionFactory());
  }

  @AfterEach
  void disconnect() throws Exception {
    bus.close();
  }

  @AfterAll
  static void stopServingSources() throws Exception {
    server.close();
    TempFolders.delete(sources, work);
  }
}
