package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.worker.WorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
 * loopback (its port an allowed source port), its own work dir, and a {@link JobBus} per test. A subclass adds its
 * settings with {@code @TestPropertySource}, points the worker at its S3 server with {@link #useStorage}, and allows
 * the port of a source server of its own with {@link #allowSourcePort}.
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
  /** The worker's work dir: the job folders. */
  static Path work;
  static StaticFileServer server;
  /** Ports of the subclass's own source servers, allowed besides the sources server's (80 and 443 too). */
  private static final Set<Integer> moreSourcePorts = new ConcurrentSkipListSet<>();

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
    registry.add("mp3.source.allowed-ports", () -> Stream.concat(Stream.of(80, 443, server.port()), moreSourcePorts.stream())
        .map(String::valueOf).collect(Collectors.joining(",")));
    registry.add("mp3.worker.work-dir", () -> work.toString());
  }

  /** Points the worker at {@code s3} and its bucket. */
  static void useStorage(DynamicPropertyRegistry registry, LocalS3 s3, String bucket) {
    registry.add("mp3.s3.endpoint", s3::endpoint);
    registry.add("mp3.s3.access-key", s3::accessKey);
    registry.add("mp3.s3.secret-key", s3::secretKey);
    registry.add("mp3.s3.bucket", () -> bucket);
  }

  /** Allows a source server's port; call it from {@code @BeforeAll}, before the application context starts. */
  static void allowSourcePort(int port) {
    moreSourcePorts.add(port);
  }

  /**
   * No job left anything in the work dir: there is only the running worker's lock on the directory
   * (WorkDirectory). Nothing else ever writes there, not even Camel (no stream cache spools a body).
   */
  static void assertNoJobLeftInTheWorkDir() throws Exception {
    try (Stream<Path> entries = Files.list(work)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsOnly(".worker.lock");
    }
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
    moreSourcePorts.clear();
    TempFolders.delete(sources, work);
  }
}
