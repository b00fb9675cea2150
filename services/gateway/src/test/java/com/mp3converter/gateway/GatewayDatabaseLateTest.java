package com.mp3converter.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TcpGate;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway started while its database is not there (its address is a closed port): it starts, is alive and not
 * ready, keeps away from the tables (the status consumer and the recovery checks wait), and once the database
 * answers it migrates, starts them and becomes ready, without a restart.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.config.name=gateway", "management.server.port=0"})
@DirtiesContext
class GatewayDatabaseLateTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final TcpGate DATABASE = TcpGate.closed(TestDatabase.HOST, TestDatabase.PORT);
  static final List<String> ROUTES_ON_TABLES =
      List.of("gateway-status-events", "gateway-recover-unpublished", "gateway-recover-stuck");

  @LocalManagementPort
  int managementPort;

  @Autowired
  CamelContext camel;

  @Autowired
  JdbcTemplate jdbc;

  final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String database = TestDatabase.create("gateway_late");
    registry.add("spring.datasource.url",
        () -> database.replace(":" + TestDatabase.PORT + "/", ":" + DATABASE.port() + "/"));
    registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
    registry.add("MP3_AUTH_URL", AUTH::url);
    registry.add("MP3_INTERNAL_TOKEN", TestSecrets::token);
    registry.add("MP3_S3_ACCESS_KEY", () -> "gateway");
    registry.add("MP3_S3_SECRET_KEY", () -> TestSecrets.hex(24));
  }

  @AfterAll
  static void stop() {
    AUTH.close();
    DATABASE.close();
  }

  @Test
  void startsWithoutItsDatabaseAndBecomesReadyWhenItAnswers() throws Exception {
    assertThat(probe("liveness")).isEqualTo(200);
    assertThat(probe("readiness")).isEqualTo(503);
    assertThat(ROUTES_ON_TABLES).allSatisfy(
        id -> assertThat(camel.getRouteController().getRouteStatus(id).isStarted()).as(id).isFalse());

    DATABASE.open();

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> probe("readiness") == 200);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM conversions", Long.class)).isZero();
    assertThat(ROUTES_ON_TABLES).allSatisfy(
        id -> assertThat(camel.getRouteController().getRouteStatus(id).isStarted()).as(id).isTrue());
    assertThat(probe("liveness")).isEqualTo(200);
  }

  private int probe(String name) throws Exception {
    return http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/" + name)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
