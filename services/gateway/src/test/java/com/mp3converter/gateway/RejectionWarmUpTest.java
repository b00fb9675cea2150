package com.mp3converter.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.gateway.web.RejectionWarmUp;
import com.mp3converter.shared.token.DownloadTokens;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Forged download links are rejected fast from the first request: the warm-up (RejectionWarmUp) has sent its
 * forged links, all answered 403, before the gateway turns ready; and the early answer (DownloadLinkFilter) is
 * byte for byte the route's (status, headers, problem body), which still answers every token signed here.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = {GatewayApplication.class, RejectionWarmUpTest.ReadinessWitness.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=gateway",
      "management.server.port=0",
      "mp3.retention.interval-ms=3600000",
      "mp3.warm-up.duration=1s"
    })
@DirtiesContext
class RejectionWarmUpTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  static final AuthStandIn AUTH = AuthStandIn.start();
  static final String DATABASE = TestDatabase.create("gateway_rejection_warm_up");
  static final byte[] KEY = new byte[32];
  static final String EXPECTED_BODY = "{\"type\":\"/problems/invalid-download-token\",\"title\":\"Forbidden\","
      + "\"status\":403,\"detail\":\"This download link is not valid.\"}";

  static {
    Arrays.fill(KEY, (byte) 11);
  }

  /** What the warm-up had done when readiness changed to ACCEPTING_TRAFFIC (null: it never changed). */
  record AtReadiness(boolean finished, long sent, long rejected) {}

  static final AtomicReference<AtReadiness> AT_READINESS = new AtomicReference<>();

  @TestConfiguration(proxyBeanMethods = false)
  static class ReadinessWitness {
    @Bean
    Object readinessWitness(ObjectProvider<RejectionWarmUp> warmUp) {
      return new Object() {
        @EventListener
        void on(AvailabilityChangeEvent<?> event) {
          if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
            RejectionWarmUp w = warmUp.getObject();
            AT_READINESS.compareAndSet(null, new AtReadiness(w.finished(), w.sent(), w.rejected()));
          }
        }
      };
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  RejectionWarmUp warmUp;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
    registry.add("MP3_AUTH_URL", AUTH::url);
    registry.add("MP3_INTERNAL_TOKEN", TestSecrets::token);
    registry.add("MP3_S3_ACCESS_KEY", () -> "gateway");
    registry.add("MP3_S3_SECRET_KEY", () -> TestSecrets.hex(24));
    registry.add("MP3_DOWNLOAD_TOKEN_KEY", () -> Base64.getEncoder().encodeToString(KEY));
  }

  @AfterAll
  static void stopStandIns() throws Exception {
    AUTH.close();
  }

  @Test
  void theWarmUpSentForgedLinksAllRejectedBeforeTheGatewayWasReady() {
    AtReadiness atReadiness = AT_READINESS.get();
    assertThat(atReadiness).as("readiness changed to ACCEPTING_TRAFFIC").isNotNull();
    assertThat(atReadiness.finished()).as("the warm-up had finished").isTrue();
    assertThat(atReadiness.sent()).as("forged links sent before readiness").isPositive();
    assertThat(atReadiness.rejected()).as("all answered 403").isEqualTo(atReadiness.sent());
    assertThat(warmUp.sent()).as("nothing sent after readiness").isEqualTo(atReadiness.sent());
  }

  @Test
  void aForgedLinkGetsTheRoutesExactAnswer() throws Exception {
    HttpResponse<String> forged = get(RejectionWarmUp.FORGED_TOKEN);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).isEqualTo(EXPECTED_BODY);
    assertThat(headersBesidesDate(forged)).isEqualTo(Map.of(
        "content-type", List.of("application/problem+json"), "transfer-encoding", List.of("chunked")));

    // Signed with the gateway's key, so the early check lets it through: the route rejects it (its job is no
    // id), with the very same answer.
    DownloadTokens tokens = new DownloadTokens(KEY, "mp3-converter-gateway", "mp3-converter-download",
        Duration.ofDays(7), Clock.systemUTC());
    HttpResponse<String> byTheRoute = get(tokens.issue("../x", UUID.randomUUID().toString()).token());
    assertThat(byTheRoute.statusCode()).isEqualTo(403);
    assertThat(byTheRoute.body()).isEqualTo(EXPECTED_BODY);
    assertThat(headersBesidesDate(byTheRoute)).isEqualTo(headersBesidesDate(forged));

    // Tampered, malformed, another key's: the same 403 whichever step answers.
    String genuine = tokens.issue(UUID.randomUUID().toString(), UUID.randomUUID().toString()).token();
    DownloadTokens otherKey = new DownloadTokens(new byte[32], "mp3-converter-gateway", "mp3-converter-download",
        Duration.ofDays(7), Clock.systemUTC());
    for (String token : List.of(genuine.substring(0, genuine.length() - 2) + "AA", "not-a-token", "a.b.c",
        otherKey.issue(UUID.randomUUID().toString(), UUID.randomUUID().toString()).token(), "x%2Ey")) {
      HttpResponse<String> answer = get(token);
      assertThat(answer.statusCode()).as(token).isEqualTo(403);
      assertThat(answer.body()).as(token).isEqualTo(EXPECTED_BODY);
      assertThat(headersBesidesDate(answer)).as(token).isEqualTo(headersBesidesDate(forged));
    }
  }

  private HttpResponse<String> get(String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/downloads/" + token)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, List<String>> headersBesidesDate(HttpResponse<?> response) {
    Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
    headers.remove("date");
    return headers;
  }
}
