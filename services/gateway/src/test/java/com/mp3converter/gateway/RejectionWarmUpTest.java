package com.mp3converter.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.gateway.web.RejectionWarmUp;
import com.mp3converter.shared.token.DownloadTokens;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
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
import java.util.concurrent.atomic.AtomicLong;
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
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Forged download links are rejected fast from the first request: the warm-up (RejectionWarmUp) has sent its
 * forged links, all received by this gateway, answered 403 by DownloadLinkFilter (none went past it to Spring MVC
 * and the route), before the gateway turns ready; and the early answer is byte for byte the route's (status,
 * headers, problem body), which still answers every token signed here.
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

  /**
   * What the warm-up had done when readiness changed to ACCEPTING_TRAFFIC (null: it never changed): by its own
   * count, and by the gateway's (download links its server received, and those that went past DownloadLinkFilter).
   */
  record AtReadiness(boolean finished, long sent, long rejected, long received, long pastTheFilter) {}

  static final AtomicReference<AtReadiness> AT_READINESS = new AtomicReference<>();
  static final AtomicLong RECEIVED = new AtomicLong();
  static final AtomicLong PAST_THE_FILTER = new AtomicLong();

  @TestConfiguration(proxyBeanMethods = false)
  static class ReadinessWitness {
    @Bean
    Object readinessWitness(ObjectProvider<RejectionWarmUp> warmUp) {
      return new Object() {
        @EventListener
        void on(AvailabilityChangeEvent<?> event) {
          if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
            RejectionWarmUp w = warmUp.getObject();
            AT_READINESS.compareAndSet(null,
                new AtReadiness(w.finished(), w.sent(), w.rejected(), RECEIVED.get(), PAST_THE_FILTER.get()));
          }
        }
      };
    }

    // The warm-up's own counts say what it sent and what came back; these say what the gateway did with it.
    // First in the chain, ahead of Spring's observation filter and DownloadLinkFilter.
    @Bean
    FilterRegistrationBean<Filter> receivedWitness() {
      var registration = new FilterRegistrationBean<>(countingDownloadLinks(RECEIVED));
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return registration;
    }

    // Right after DownloadLinkFilter (GatewayConfiguration: HIGHEST_PRECEDENCE + 2): what it let through.
    @Bean
    FilterRegistrationBean<Filter> pastTheFilterWitness() {
      var registration = new FilterRegistrationBean<>(countingDownloadLinks(PAST_THE_FILTER));
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
      return registration;
    }

    private static Filter countingDownloadLinks(AtomicLong count) {
      return (request, response, chain) -> {
        if (((HttpServletRequest) request).getRequestURI().startsWith("/downloads/")) {
          count.incrementAndGet();
        }
        chain.doFilter(request, response);
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
    assertThat(atReadiness.received()).as("all received by the gateway").isEqualTo(atReadiness.sent());
    assertThat(atReadiness.pastTheFilter()).as("none went past DownloadLinkFilter").isZero();
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
